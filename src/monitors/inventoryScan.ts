import { SECRETS_OF_THIS_ACCOUNT, type MonitorDeclaration } from './monitor';

export const inventoryScan: MonitorDeclaration = {
  name: 'inventoryScan',
  description: 'SecretWatch inventory scan (rotation overdue, not enabled or missed, unused secrets, default KMS key, roles other accounts may assume that read secrets)',
  handler: 'handlers/inventoryScan.handler',
  // Mode central with member accounts: the same scan, fanned out to the scan workers (src/monitors/scanWorker.ts).
  centralScanHandler: 'handlers/centralInventoryScan.handler',
  schedule: { rule: 'inventory-scan', description: 'SecretWatch: the inventory scan, every scanIntervalHours', intervalSetting: 'scanIntervalHours' },
  // Metadata only: never GetSecretValue, never DescribeSecret, no KMS on any secret's key.
  permissions: [
    // ListSecrets has no resource type: it cannot be scoped.
    { Sid: 'ListInventory', Action: 'secretsmanager:ListSecrets', Resource: '*' },
    { Sid: 'CurrentVersionDates', Action: 'secretsmanager:ListSecretVersionIds', Resource: SECRETS_OF_THIS_ACCOUNT },
    // Roles, users, groups and their policies, once per scan: who outside the account can read secrets. No resource type.
    { Sid: 'AuthorizationDetails', Action: 'iam:GetAccountAuthorizationDetails', Resource: '*' },
  ],
  settings: ['scanIntervalHours', 'fullDigestWeekday', 'scanListSecretsPerSecond', 'scanLookupsPerSecond'],
  // 50,000 secrets: 500 ListSecrets pages and the version look-ups of the overdue-looking ones at
  // 40 calls a second, then their findings on the bus. The handler stops starting look-ups two
  // minutes before the timeout so that a bigger inventory is still reported.
  memorySize: 1024,
  timeout: 900,
};
