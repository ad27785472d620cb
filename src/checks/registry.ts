// Every check, one line each. A check is a folder: <family>/<check-id>/index.ts holds its metadata
// and logic, events/ beside it the real records it must judge and what it must say of each.
export { deletedSecretAccessed } from './deletion/deleted-secret-accessed';
export { secretDeletionDenied } from './deletion/secret-deletion-denied';
export { secretDeletionScheduled } from './deletion/secret-deletion-scheduled';
export { secretForceDeleted } from './deletion/secret-force-deleted';
export { secretRestored } from './deletion/secret-restored';
export { secretReplicaPromoted } from './replication/secret-replica-promoted';
export { secretReplicatedToUnapprovedRegion } from './replication/secret-replicated-to-unapproved-region';
export { secretPolicyChangeDenied } from './resource-policy/secret-policy-change-denied';
export { secretPolicyChanged } from './resource-policy/secret-policy-changed';
export { secretPolicyCrossAccount } from './resource-policy/secret-policy-cross-account';
export { secretPolicyDeleted } from './resource-policy/secret-policy-deleted';
export { secretPolicyPublic } from './resource-policy/secret-policy-public';
export { rotationDisabled } from './rotation/rotation-disabled';
export { rotationFailed } from './rotation/rotation-failed';
export { rotationScheduleTooLong } from './rotation/rotation-schedule-too-long';
export { rotationMissed } from './inventory/rotation-missed';
export { rotationNotEnabled } from './inventory/rotation-not-enabled';
export { rotationOverdue } from './inventory/rotation-overdue';
export { secretDefaultKmsKey } from './inventory/secret-default-kms-key';
export { secretUnused } from './inventory/secret-unused';
export { scanAccountUnreachable } from './central/scan-account-unreachable';
export { identityPolicyAdministersAllSecrets } from './identity-policy/identity-policy-administers-all-secrets';
export { identityPolicyChangeDenied } from './identity-policy/identity-policy-change-denied';
export { identityPolicyReadsAllSecrets } from './identity-policy/identity-policy-reads-all-secrets';
export { secretsReadableFromOtherAccount } from './inventory/secrets-readable-from-other-account';
