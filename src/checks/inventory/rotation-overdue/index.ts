import { shellQuote } from '../../finding';
import { currentValue, DAY_MS, isoOf, wholeDays } from '../currentValue';
import { findingFromSecret, isReplica, secretArgs } from '../finding';
import type { InventoryCheck } from '../types';

export const rotationOverdue: InventoryCheck = {
  kind: 'scan',
  id: 'rotation-overdue',
  family: 'inventory',
  title: 'Secret value older than the rotation limit',
  description:
    "The secret's current value is older than maxRotationDays: it was last rotated, put by hand or created before the limit. The age counts from the newest of LastRotatedDate, the AWSCURRENT version's creation (a value put with PutSecretValue) and, for a secret never rotated, its creation.",
  severityRule: "MEDIUM when older than maxRotationDays (default 90, or the tag secretwatch:max-rotation-days, or a managed secret's own schedule plus a day); HIGH when older than twice that.",
  severities: ['HIGH', 'MEDIUM'],
  monitor: 'inventoryScan',
  events: [],
  settings: ['maxRotationDays'],
  gauge: 'RotationOverdue',
  summary: (f) => `${f.details.ageDays} days old, limit ${f.details.maxRotationDays}${f.details.maxRotationDaysSource === 'config' ? '' : ` (${String(f.details.maxRotationDaysSource)})`}`,
  evaluate(view, ctx) {
    if (isReplica(view)) return null;
    const { secret, settings } = view;
    const nowMs = ctx.now.getTime();
    const value = currentValue(secret, view.currentVersion, nowMs);
    if (!value) return null;
    const limitMs = settings.maxRotationDays * DAY_MS;
    const ageMs = nowMs - value.sinceMs;
    if (ageMs <= limitMs) return null;
    const ageDays = wholeDays(ageMs);
    const limit = `limit ${Math.round(settings.maxRotationDays * 10) / 10} days`;
    const title =
      value.source === 'LastRotatedDate'
        ? `Secret ${secret.name} was last rotated ${ageDays} days ago (${limit})`
        : value.source === 'AWSCURRENT version'
          ? `Secret ${secret.name}'s value was last changed ${ageDays} days ago (${limit})`
          : `Secret ${secret.name} has never been rotated: its value is ${ageDays} days old (${limit})`;
    const rules = shellQuote(`{"ScheduleExpression":"rate(${Math.max(1, Math.floor(ctx.config.maxRotationDays))} days)"}`);
    return findingFromSecret(this, view, {
      severity: ageMs > 2 * limitMs ? 'HIGH' : 'MEDIUM',
      title,
      nonCompliantSince: isoOf(value.sinceMs + limitMs),
      details: {
        ageDays,
        maxRotationDays: settings.maxRotationDays,
        maxRotationDaysSource: settings.maxRotationDaysSource,
        currentValueSince: isoOf(value.sinceMs),
        currentValueSource: value.source,
        rotationEnabled: secret.rotationEnabled,
        ...(view.currentVersion && 'error' in view.currentVersion ? { versionLookup: view.currentVersion.error } : {}),
        ...(secret.owningService ? { owningService: secret.owningService } : {}),
      },
      remediation: secret.rotationEnabled
        ? `Rotation is on but has not replaced the value: rotate now, and read the rotation function's logs if that fails. aws secretsmanager rotate-secret ${secretArgs(view)}`
        : `Rotate the credential: turn on rotation (aws secretsmanager rotate-secret ${secretArgs(view)} --rotation-lambda-arn <rotation-function-arn> --rotation-rules ${rules}), or change it at its source and store the new value with put-secret-value.`,
    });
  },
};
