import type { CloudTrailRecord } from '../events/record';
import { secretOf } from '../events/secret';
import { secretResource, type Finding } from '../findings/finding';
import type { FindingResolution } from '../findings/resolution';
import { isAppliedPolicy } from './resource-policy/verdict';
import { parseRotationSchedule, rotationRulesOf } from './rotation/schedule';

const POLICY_PUBLIC = 'secret-policy-public';
const POLICY_CROSS_ACCOUNT = 'secret-policy-cross-account';
const ROTATION_DISABLED = 'rotation-disabled';
const SCHEDULE_TOO_LONG = 'rotation-schedule-too-long';

/** What the record did, in words, when it fixes something; null when it fixes nothing. */
function fixes(record: CloudTrailRecord, raised: ReadonlySet<string>): { checks: string[]; reason: string } | null {
  if (record.eventSource !== 'secretsmanager.amazonaws.com' || record.errorCode) return null;
  if (record.eventName === 'DeleteResourcePolicy') {
    return { checks: [POLICY_PUBLIC, POLICY_CROSS_ACCOUNT], reason: 'the resource policy was deleted' };
  }
  if (isAppliedPolicy(record)) {
    // A policy that is still public keeps both open (public includes every other account).
    if (raised.has(POLICY_PUBLIC)) return null;
    if (raised.has(POLICY_CROSS_ACCOUNT)) return { checks: [POLICY_PUBLIC], reason: 'a new resource policy no longer opens the secret to everyone' };
    return { checks: [POLICY_PUBLIC, POLICY_CROSS_ACCOUNT], reason: 'a new resource policy opens the secret to no other account' };
  }
  if (record.eventName === 'RotateSecret') {
    const rules = rotationRulesOf(record.requestParameters.rotationRules);
    // RotateSecret without rules rotates once with the schedule the secret already has: it turns nothing on.
    if (!rules) return null;
    const schedule = parseRotationSchedule(rules);
    // An unreadable schedule gets no verdict either way.
    const withinLimit = schedule !== null && schedule.kind !== 'unreadable' && !raised.has(SCHEDULE_TOO_LONG);
    return withinLimit
      ? { checks: [ROTATION_DISABLED, SCHEDULE_TOO_LONG], reason: 'rotation was turned on with a schedule within the limit' }
      : { checks: [ROTATION_DISABLED], reason: 'rotation was turned on' };
  }
  return null;
}

/**
 * The findings an event closes: a policy made private or deleted closes the earlier public and
 * cross-account findings of its secret; rotation turned on again closes rotation-disabled, and a
 * schedule within the limit closes rotation-schedule-too-long. `findings` are what the checks said
 * of the same record. Pure: whether such a finding is open is for the caller to look up.
 */
export function eventResolutions(record: CloudTrailRecord, findings: readonly Finding[]): FindingResolution[] {
  const fixed = fixes(record, new Set(findings.map((f) => f.check)));
  if (!fixed) return [];
  const resource = secretResource(secretOf(record));
  const event = { id: record.eventId, name: record.eventName, time: record.eventTime };
  return fixed.checks.map((check) => ({ subject: { check, account: record.account, region: record.region, resource }, reason: fixed.reason, event }));
}
