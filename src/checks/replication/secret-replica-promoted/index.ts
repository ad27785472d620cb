import { secretOf } from '../../../events/secret';
import { findingFromRecord, regionArg, secretIdArg, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';

export const secretReplicaPromoted: EventCheck = {
  kind: 'event',
  id: 'secret-replica-promoted',
  family: 'replication',
  title: 'Replica secret promoted to a standalone secret',
  description:
    "A replica secret was detached from its primary (StopReplicationToReplica) and is now a standalone secret: it no longer receives the primary's new values from rotation, nor its resource policy changes, so it can hold a stale credential under a policy nobody reviews.",
  severityRule: 'MEDIUM',
  severities: ['MEDIUM'],
  monitor: 'deletionMonitor',
  events: [{ rule: 'secret-replication', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['StopReplicationToReplica'] }],
  settings: [],
  evaluate(record) {
    if (record.errorCode) return null;
    // The call is made in the replica's region and names the replica: the finding is about it.
    const secret = secretOf(record);
    const label = secretLabel(secret);
    const id = secretIdArg(secret);
    const region = regionArg(record.region);
    return findingFromRecord(this, record, {
      severity: 'MEDIUM',
      title: `Replica secret ${label}${record.region ? ` in ${record.region}` : ''} was promoted to a standalone secret`,
      secret,
      details: { replicaRegion: record.region },
      remediation:
        `If the promotion was intended, review the now standalone secret (aws secretsmanager describe-secret --secret-id ${id}${region}) and re-apply rotation and policy on it: aws secretsmanager rotate-secret --secret-id ${id} --rotation-lambda-arn <function-arn> --rotation-rules AutomaticallyAfterDays=<days>${region} and aws secretsmanager put-resource-policy --secret-id ${id} --resource-policy file://policy.json --block-public-policy${region}. ` +
        `If it was not, delete it (aws secretsmanager delete-secret --secret-id ${id} --recovery-window-in-days 30${region}) and replicate the primary to this region again.`,
    });
  },
};
