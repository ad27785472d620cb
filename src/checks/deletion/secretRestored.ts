import { secretOf } from '../../events/secret';
import { findingFromRecord, secretLabel } from '../finding';
import type { EventCheck } from '../types';

export const secretRestored: EventCheck = {
  id: 'secret-restored',
  title: 'Secret restored',
  description: 'A secret that was scheduled for deletion was restored and is usable again.',
  severityRule: 'INFO',
  severities: ['INFO'],
  eventNames: ['RestoreSecret'],
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
