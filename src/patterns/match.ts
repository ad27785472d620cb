import type { EventIndex, FieldValue } from './flatten';
import { membershipKey, merge, restrict, type Membership } from './membership';
import type { FieldMatcher } from './values';

/** One field condition of a compiled sub-rule. */
export interface Step extends FieldMatcher {
  readonly fieldId: number;
}

/**
 * Whether the event satisfies one sub-rule, with event-ruler's semantics (StructuredFinder.walk):
 * fields are taken in sorted name order; each must have a value matching one of its patterns in
 * the same element of every array already pinned by earlier fields; an `{"exists": false}` field
 * is absent if no value of it sits in those elements. Because absence only sees elements pinned by
 * fields that sort before it, its outcome can depend on field names, as in AWS's matcher.
 */
export function matchesSubRule(steps: readonly Step[], event: EventIndex): boolean {
  if (!event.constrained) return walkFlat(steps, event, 0);
  return new ConstrainedWalk(steps, event).from(0, null);
}

/** The common case: no value sits inside an array element, so any value will do. */
function walkFlat(steps: readonly Step[], event: EventIndex, at: number): boolean {
  for (let i = at; i < steps.length; i++) {
    const { fieldId, test, allowAbsent } = steps[i];
    const values = event.fields[fieldId];
    if (values === undefined) {
      if (!allowAbsent) return false;
      continue;
    }
    if (test === null) return false; // present, and absence was all this field accepts
    let matched = false;
    for (const { value } of values) {
      if (test(value)) {
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

class ConstrainedWalk {
  /** For each step, the array ids that values of it or any later step sit in. */
  private readonly relevant: ReadonlyArray<ReadonlySet<number>>;
  /** (step, constraints) states already known to fail, so sibling arrays cannot multiply. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly steps: readonly Step[],
    private readonly event: EventIndex,
  ) {
    const relevant: Array<ReadonlySet<number>> = new Array<ReadonlySet<number>>(steps.length + 1);
    let ids = new Set<number>();
    relevant[steps.length] = ids;
    for (let i = steps.length - 1; i >= 0; i--) {
      ids = new Set(ids);
      for (const { membership } of event.fields[steps[i].fieldId] ?? []) {
        if (membership !== null) for (let m = 0; m < membership.length; m += 2) ids.add(membership[m]);
      }
      relevant[i] = ids;
    }
    this.relevant = relevant;
  }

  from(at: number, constraints: Membership): boolean {
    if (at === this.steps.length) return true;
    // Constraints on arrays no remaining field can touch cannot change the outcome; dropping them
    // makes equivalent states share one memo entry.
    const pinned = restrict(constraints, this.relevant[at]);
    const key = `${at}|${membershipKey(pinned)}`;
    if (this.failed.has(key)) return false;
    if (this.tryStep(at, pinned)) return true;
    this.failed.add(key);
    return false;
  }

  private tryStep(at: number, constraints: Membership): boolean {
    const { fieldId, test, allowAbsent } = this.steps[at];
    const values: readonly FieldValue[] = this.event.fields[fieldId] ?? [];
    if (allowAbsent && !values.some((v) => merge(constraints, v.membership) !== undefined) && this.from(at + 1, constraints)) {
      return true;
    }
    if (test === null) return false;
    for (const { value, membership } of values) {
      const merged = merge(constraints, membership);
      if (merged !== undefined && test(value) && this.from(at + 1, merged)) return true;
    }
    return false;
  }
}
