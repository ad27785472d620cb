import { secretOf } from '../../../events/secret';
import { findingFromRecord, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';

export const secretRestored: EventCheck = {
  kind: 'event',
  id: 'secret-restored',
  family: 'deletion',
  title: 'Secret restored',
  description: 'A secret that was scheduled for deletion was restored and is usable again.',
  severityRule: 'INFO',
  severities: ['INFO'],
  monitor: 'deletionMonitor',
  events: [{ rule: 'secret-deletion', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['RestoreSecret'] }],
  settings: [],
  evaluate(record) {
    if (record.errorCode) return null;
    const secret = secretOf(record);
    return findingFromRecord(this, record, {
      severity: 'INFO',
      title: `Secret ${secretLabel(secret)} was restored`,
      secret,
      remediation: 'No action needed; this closes an earlier secret-deletion-scheduled finding for the same secret.',
    });
  },
};
