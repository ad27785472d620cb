import { secretOf } from '../../../events/secret';
import { findingFromRecord, reviewCallerAdvice, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';
import { policyChangeEvents } from '../events';

export const secretPolicyChangeDenied: EventCheck = {
  kind: 'event',
  id: 'secret-policy-change-denied',
  family: 'resource-policy',
  title: 'Secret resource policy change failed',
  description:
    "Someone tried to put or delete a secret's resource policy and the call failed (access denied, a malformed policy, a public policy refused by BlockPublicPolicy). Nothing changed, but an unexpected attempt to reshare a secret is worth a look.",
  severityRule: 'MEDIUM',
  severities: ['MEDIUM'],
  monitor: 'policyMonitor',
  events: policyChangeEvents('PutResourcePolicy', 'DeleteResourcePolicy'),
  settings: [],
  evaluate(record) {
    if (!record.errorCode) return null;
    const secret = secretOf(record);
    const verb = record.eventName === 'DeleteResourcePolicy' ? 'delete' : 'change';
    return findingFromRecord(this, record, {
      severity: 'MEDIUM',
      title: `Attempt to ${verb} the resource policy of secret ${secretLabel(secret)} failed: ${record.errorCode}`,
      secret,
      details: { errorCode: record.errorCode, errorMessage: record.errorMessage },
      remediation: reviewCallerAdvice(record),
    });
  },
};
