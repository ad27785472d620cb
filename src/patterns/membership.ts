/**
 * event-ruler's ArrayMembership: which element of which event array a value sits in. Values
 * matched for one rule must agree on the element of every array they share, so
 * {"tags": [{"k": "a", "v": "1"}, {"k": "b", "v": "2"}]} does not satisfy k=a with v=2.
 *
 * Stored as flat [arrayId, index, arrayId, index, ...] sorted by arrayId, or null when empty (the
 * common case, which then costs nothing). Arrays are never mutated once built.
 */
export type Membership = readonly number[] | null;

/** Marks a value as sitting in element `index` of array `arrayId`. */
export function withElement(membership: Membership, arrayId: number, index: number): readonly number[] {
  // Array ids grow as the event is walked, so a nested array's id is always the largest.
  return membership === null ? [arrayId, index] : [...membership, arrayId, index];
}

/** The combined constraints, or undefined when the two disagree about some array's element. */
export function merge(constraints: Membership, field: Membership): Membership | undefined {
  if (field === null) return constraints;
  if (constraints === null) return field;
  let merged: number[] | null = null;
  for (let f = 0; f < field.length; f += 2) {
    const arrayId = field[f];
    let seen = false;
    for (let c = 0; c < constraints.length; c += 2) {
      if (constraints[c] === arrayId) {
        if (constraints[c + 1] !== field[f + 1]) return undefined;
        seen = true;
        break;
      }
    }
    if (!seen) {
      merged ??= [...constraints];
      insertSorted(merged, arrayId, field[f + 1]);
    }
  }
  return merged ?? constraints;
}

function insertSorted(pairs: number[], arrayId: number, index: number): void {
  let at = pairs.length;
  while (at > 0 && pairs[at - 2] > arrayId) at -= 2;
  pairs.splice(at, 0, arrayId, index);
}

/** Drops constraints on arrays that no remaining field can touch; keeps the search from forking on them. */
export function restrict(constraints: Membership, relevant: ReadonlySet<number>): Membership {
  if (constraints === null) return null;
  let kept: number[] | null = null;
  for (let c = 0; c < constraints.length; c += 2) {
    if (!relevant.has(constraints[c])) {
      kept ??= constraints.slice(0, c);
    } else if (kept !== null) {
      kept.push(constraints[c], constraints[c + 1]);
    }
  }
  if (kept === null) return constraints;
  return kept.length === 0 ? null : kept;
}

export function membershipKey(constraints: Membership): string {
  return constraints === null ? '' : constraints.join(',');
}
