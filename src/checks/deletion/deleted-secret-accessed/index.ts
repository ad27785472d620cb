import { secretOf } from '../../../events/secret';
import { findingFromRecord, regionArg, secretIdArg, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';

const MARKED_FOR_DELETION = /marked for deletion/i;

export const deletedSecretAccessed: EventCheck = {
  kind: 'event',
  id: 'deleted-secret-accessed',
  family: 'deletion',
  title: 'Secret pending deletion is still in use',
  description: 'A caller tried to read a secret that is scheduled for deletion and was refused. Whatever made the call is broken now and will stay broken once the secret is gone.',
  severityRule: 'HIGH',
  severities: ['HIGH'],
  monitor: 'deletionMonitor',
  events: [
    {
      rule: 'secret-access-after-deletion',
      source: 'aws.secretsmanager',
      detailTypes: ['AWS API Call via CloudTrail'],
      eventNames: ['GetSecretValue', 'BatchGetSecretValue', 'DescribeSecret'],
      filter: { errorMessage: [{ wildcard: '*marked for deletion*' }] },
      readOnly: true,
    },
  ],
  settings: [],
  evaluate(record) {
    if (!record.errorCode && !record.errorMessage) return null;
    if (!MARKED_FOR_DELETION.test(record.errorMessage ?? '')) return null;
    const secret = secretOf(record);
    return findingFromRecord(this, record, {
      severity: 'HIGH',
      title: `Secret ${secretLabel(secret)} is pending deletion but still being read`,
      secret,
      details: { errorCode: record.errorCode, errorMessage: record.errorMessage },
      remediation: `Either restore the secret (aws secretsmanager restore-secret --secret-id ${secretIdArg(secret)}${regionArg(record.region)}) or move the caller in "actor" off it before the deletion date.`,
    });
  },
};
