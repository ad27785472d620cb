import { secretOf } from '../../../events/secret';
import type { CloudTrailRecord } from '../../../events/record';
import { findingFromRecord, regionArg, secretIdArg, secretLabel, shellQuote } from '../../finding';
import type { EventCheck } from '../../check';

/**
 * The regions a CreateSecret or ReplicateSecretToRegions call asks for, in order, once each.
 * CloudTrail logs the request's AddReplicaRegions as `addReplicaRegions: [{ region, kmsKeyId }]`.
 */
function requestedRegions(record: CloudTrailRecord): string[] {
  const list = record.requestParameters.addReplicaRegions;
  if (!Array.isArray(list)) return [];
  const regions: string[] = [];
  for (const item of list) {
    const region = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).region : undefined;
    if (typeof region === 'string' && region.length > 0 && !regions.includes(region)) regions.push(region);
  }
  return regions;
}

export const secretReplicatedToUnapprovedRegion: EventCheck = {
  kind: 'event',
  id: 'secret-replicated-to-unapproved-region',
  family: 'replication',
  title: 'Secret replicated to an unapproved region',
  description:
    'A secret was replicated to a region outside approvedRegions (CreateSecret with replicas, or ReplicateSecretToRegions). The replica holds the same value, readable by whoever its policies admit in that region, and data-residency rules may forbid it.',
  severityRule: 'HIGH when at least one added region is outside approvedRegions; nothing while approvedRegions is empty (the check is off).',
  severities: ['HIGH'],
  monitor: 'deletionMonitor',
  events: [
    {
      rule: 'secret-replication',
      source: 'aws.secretsmanager',
      detailTypes: ['AWS API Call via CloudTrail'],
      // ReplicateSecretToRegions always carries AddReplicaRegions (at least one); for CreateSecret this
      // keeps the many secrets created without replicas away from the function.
      eventNames: ['CreateSecret', 'ReplicateSecretToRegions'],
      filter: { requestParameters: { addReplicaRegions: { region: [{ exists: true }] } } },
    },
  ],
  settings: ['approvedRegions'],
  evaluate(record, ctx) {
    const approved = ctx.config.approvedRegions;
    if (record.errorCode || approved.length === 0) return null;
    const requested = requestedRegions(record);
    const unapproved = requested.filter((region) => !approved.includes(region));
    if (unapproved.length === 0) return null;
    const secret = secretOf(record);
    const label = secretLabel(secret);
    const plural = unapproved.length > 1 ? 'regions' : 'region';
    return findingFromRecord(this, record, {
      severity: 'HIGH',
      title: `Secret ${label} replicated to unapproved ${plural} ${unapproved.join(', ')}`,
      secret,
      details: { regions: unapproved, approvedRegions: [...approved], requestedRegions: requested },
      remediation:
        `Unless the replica is wanted (then add its region to approvedRegions), remove it: aws secretsmanager remove-regions-from-replication --secret-id ${secretIdArg(secret)} --remove-replica-regions ${unapproved.map(shellQuote).join(' ')}${regionArg(record.region)}. ` +
        "To prevent it, deny secretsmanager:CreateSecret and secretsmanager:ReplicateSecretToRegions in an SCP when the condition key secretsmanager:AddReplicaRegions holds a region outside the approved list (ForAnyValue:StringNotEquals); aws:RequestedRegion alone does not stop it, as the call is made in the primary's region.",
    });
  },
};
