import { secretOf } from '../../../events/secret';
import { findingFromRecord, regionArg, secretLabel, shellQuote } from '../../finding';
import type { EventCheck } from '../../check';
import { calledByOwningService } from '../../owningService';
import { isForceDelete } from '../ownership';

export const secretForceDeleted: EventCheck = {
  kind: 'event',
  id: 'secret-force-deleted',
  family: 'deletion',
  title: 'Secret deleted without recovery',
  description: 'A secret was deleted with ForceDeleteWithoutRecovery: it is gone at once and cannot be restored. Anything that still reads it fails from now on.',
  severityRule: 'CRITICAL; INFO when the service that owns a managed secret (e.g. RDS for "rds!..." secrets) deleted it itself.',
  severities: ['CRITICAL', 'INFO'],
  monitor: 'deletionMonitor',
  events: [{ rule: 'secret-deletion', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['DeleteSecret'] }],
  settings: [],
  evaluate(record) {
    if (record.errorCode || !isForceDelete(record)) return null;
    const secret = secretOf(record);
    const owner = calledByOwningService(record, secret);
    const label = secretLabel(secret);
    return findingFromRecord(this, record, {
      severity: owner ? 'INFO' : 'CRITICAL',
      title: owner ? `Managed secret ${label} deleted by its owning service ${owner}` : `Secret ${label} was force-deleted with no recovery window`,
      secret,
      details: { forceDeleteWithoutRecovery: true, ...(owner ? { owningService: owner } : {}) },
      remediation: owner
        ? 'No action needed if the owning resource was removed on purpose.'
        : `The secret cannot be restored: recreate it from its source of truth (aws secretsmanager create-secret --name ${shellQuote(label)}${regionArg(record.region)}) and rotate the credential it held. To prevent this, deny secretsmanager:DeleteSecret when secretsmanager:ForceDeleteWithoutRecovery is true in an SCP.`,
    });
  },
};
