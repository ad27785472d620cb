import { secretOf } from '../../../events/secret';
import { findingFromRecord, reviewCallerAdvice, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';

export const secretDeletionDenied: EventCheck = {
  kind: 'event',
  id: 'secret-deletion-denied',
  family: 'deletion',
  title: 'Secret deletion attempt failed',
  description: 'Someone tried to delete a secret and the call failed (access denied, no such secret, already scheduled). Nothing changed, but an unexpected attempt is worth a look.',
  severityRule: 'MEDIUM',
  severities: ['MEDIUM'],
  monitor: 'deletionMonitor',
  events: [{ rule: 'secret-deletion', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['DeleteSecret'] }],
  settings: [],
  evaluate(record) {
    if (!record.errorCode) return null;
    const secret = secretOf(record);
    return findingFromRecord(this, record, {
      severity: 'MEDIUM',
      title: `Attempt to delete secret ${secretLabel(secret)} failed: ${record.errorCode}`,
      secret,
      details: { errorCode: record.errorCode, errorMessage: record.errorMessage },
      remediation: reviewCallerAdvice(record),
    });
  },
};
