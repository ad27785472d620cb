import type { CloudTrailRecord } from '../../events/record';
import type { SecretRef } from '../../events/secret';
import { regionArg, secretIdArg } from '../finding';

/** The commands a policy finding's reader runs: revert (delete), put a corrected policy back, look. */
export function policyCommands(secret: SecretRef, record: CloudTrailRecord) {
  const target = `--secret-id ${secretIdArg(secret)}${regionArg(record.region)}`;
  return {
    remove: `aws secretsmanager delete-resource-policy ${target}`,
    put: `aws secretsmanager put-resource-policy ${target} --block-public-policy --resource-policy file://policy.json`,
    show: `aws secretsmanager get-resource-policy ${target}`,
    rotate: `aws secretsmanager rotate-secret ${target}`,
  };
}
