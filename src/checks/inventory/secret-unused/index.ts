import { DAY_MS, isoOf, wholeDays } from '../currentValue';
import { findingFromSecret, isReplica, secretArgs } from '../finding';
import type { InventoryCheck } from '../types';

export const secretUnused: InventoryCheck = {
  kind: 'scan',
  id: 'secret-unused',
  family: 'inventory',
  title: 'Secret not read for a long time',
  description:
    'Nothing has read the secret for more than unusedDays (Security Hub SecretsManager.3): it may be left over, and an unused credential is attack surface. The service records reads to the day. Secrets managed by another service and replicas (kept for failover) are not reported.',
  severityRule: 'LOW when LastAccessedDate (or CreatedDate, if never read) is older than unusedDays (default 90).',
  severities: ['LOW'],
  monitor: 'inventoryScan',
  events: [],
  settings: ['maxRotationDays', 'unusedDays'],
  gauge: 'Unused',
  summary: (f) => (f.details.lastAccessedDate ? `last read ${String(f.details.lastAccessedDate).slice(0, 10)}` : 'never read'),
  evaluate(view, ctx) {
    const { secret } = view;
    if (secret.owningService || isReplica(view)) return null;
    const sinceMs = secret.lastAccessedMs ?? secret.createdMs;
    if (sinceMs === null) return null;
    const limitMs = ctx.config.unusedDays * DAY_MS;
    const idleMs = ctx.now.getTime() - sinceMs;
    if (idleMs <= limitMs) return null;
    const days = wholeDays(idleMs);
    return findingFromSecret(this, view, {
      severity: 'LOW',
      title: secret.lastAccessedMs === null ? `Secret ${secret.name} has never been read in the ${days} days since it was created` : `Secret ${secret.name} has not been read for ${days} days`,
      nonCompliantSince: isoOf(sinceMs + limitMs),
      details: {
        lastAccessedDate: secret.lastAccessedMs === null ? null : isoOf(secret.lastAccessedMs),
        createdDate: secret.createdMs === null ? null : isoOf(secret.createdMs),
        daysUnused: days,
        unusedDays: ctx.config.unusedDays,
      },
      remediation: `Find out whether anything still needs it (GetSecretValue events in CloudTrail). If nothing does, schedule its deletion, which can be undone for 30 days: aws secretsmanager delete-secret ${secretArgs(view)} --recovery-window-in-days 30`,
    });
  },
};
