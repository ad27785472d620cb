import type { MonitorDeclaration } from './monitor';

/**
 * The central scan's workers: one member account and region per invocation, fed by the queue the
 * inventoryScan function fills at each scan. Their role (serverless/organization.js adds the rest)
 * may assume the member scan roles, store results in the scan run table and start the assembling
 * step; it publishes nothing.
 */
export const scanWorker: MonitorDeclaration = {
  name: 'scanWorker',
  description: 'SecretWatch central scan worker: the inventory scan of one member account and region',
  handler: 'handlers/scanWorker.handler',
  centralScanOnly: true,
  checksOf: 'inventoryScan',
  delivers: false,
  // The inventory checks' settings and the scan rates: a unit is judged as inventoryScan would judge it.
  settings: ['maxRotationDays', 'unusedDays', 'requireCustomerManagedKey', 'scanListSecretsPerSecond', 'scanLookupsPerSecond'],
  queue: {
    name: 'scan-units',
    // A unit that fails three times (each a full worker run) is recorded as unreachable.
    maxReceiveCount: 3,
    // 20 accounts and regions at once: each has its own rate limits (80 ListSecrets a second in its
    // own account and region), so this bounds the central account's AssumeRole rate and the cost, not
    // any member's quota (docs/organization.md, "Limits").
    maximumConcurrency: 20,
    deadLetterConcurrency: 2,
  },
  // An account and region of 50,000 secrets: 500 ListSecrets pages and the overdue-looking ones' look-ups.
  memorySize: 1024,
  timeout: 900,
};
