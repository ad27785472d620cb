import type { EventIndex } from './flatten';
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
  return event.constrained ? new ConstrainedWalk(steps, event).from(0, null) : matchesFlat(steps, event);
}

/** The common case: no value sits inside an array element, so any value will do. */
function matchesFlat(steps: readonly Step[], event: EventIndex): boolean {
  for (const { fieldId, test, allowAbsent } of steps) {
    const values = event.values[fieldId];
    if (values === undefined) {
      if (!allowAbsent) return false;
    } else if (test === null || !values.some(test)) {
      return false;
    }
  }
  return true;
}

const NO_VALUES: never[] = [];

class ConstrainedWalk {
  /** For each step, the array ids that values of it or any later step sit in. */
  private readonly relevant: ReadonlyArray<ReadonlySet<number>>;
  /** (step, constraints) states already known to fail, so sibling arrays cannot multiply. */
  private readonly failed = new Set<string>();

  constructor(
    private readonly steps: readonly Step[],
    private readonly event: EventIndex,
  ) {
    const relevant = new Array<ReadonlySet<number>>(steps.length + 1);
    let ids = new Set<number>();
    relevant[steps.length] = ids;
    for (let i = steps.length - 1; i >= 0; i--) {
      ids = new Set(ids);
      for (const membership of event.memberships[steps[i].fieldId] ?? NO_VALUES) {
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
    const values = this.event.values[fieldId] ?? NO_VALUES;
    const memberships = this.event.memberships[fieldId];
    const membershipOf = (i: number): Membership => (memberships === undefined ? null : memberships[i]);
    if (allowAbsent && !values.some((_, i) => merge(constraints, membershipOf(i)) !== undefined) && this.from(at + 1, constraints)) {
      return true;
    }
    if (test === null) return false;
    for (let i = 0; i < values.length; i++) {
      const merged = merge(constraints, membershipOf(i));
      if (merged !== undefined && test(values[i]) && this.from(at + 1, merged)) return true;
    }
    return false;
  }
}
