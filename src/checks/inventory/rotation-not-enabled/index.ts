import { shellQuote } from '../../finding';
import { isoOf } from '../currentValue';
import { findingFromSecret, isReplica, secretArgs } from '../finding';
import { EXEMPT_TAG } from '../tagSettings';
import type { InventoryCheck } from '../types';

export const rotationNotEnabled: InventoryCheck = {
  kind: 'scan',
  id: 'rotation-not-enabled',
  family: 'inventory',
  title: 'Secret without automatic rotation',
  description:
    "Automatic rotation is off for the secret (Security Hub SecretsManager.1). Secrets managed by another service follow that service's rotation and are not reported; replicas are judged in their primary region.",
  severityRule: `MEDIUM, unless the secret is tagged ${EXEMPT_TAG}.`,
  severities: ['MEDIUM'],
  monitor: 'inventoryScan',
  events: [],
  settings: ['maxRotationDays'],
  gauge: 'RotationNotEnabled',
  evaluate(view, ctx) {
    const { secret } = view;
    if (secret.rotationEnabled || secret.owningService || isReplica(view)) return null;
    // Stable across scans: it moves only when the secret is rotated, so "new since the last scan" reports it once.
    const sinceMs = secret.lastRotatedMs ?? secret.createdMs;
    const rules = shellQuote(`{"ScheduleExpression":"rate(${Math.max(1, Math.floor(ctx.config.maxRotationDays))} days)"}`);
    return findingFromSecret(this, view, {
      severity: 'MEDIUM',
      title: `Secret ${secret.name} has no automatic rotation`,
      nonCompliantSince: sinceMs === null ? null : isoOf(sinceMs),
      details: {
        createdDate: secret.createdMs === null ? null : isoOf(secret.createdMs),
        lastRotatedDate: secret.lastRotatedMs === null ? null : isoOf(secret.lastRotatedMs),
      },
      remediation: `Turn on rotation: aws secretsmanager rotate-secret ${secretArgs(view)} --rotation-lambda-arn <rotation-function-arn> --rotation-rules ${rules}. If it cannot be rotated automatically, record why: aws secretsmanager tag-resource ${secretArgs(view)} --tags Key=${EXEMPT_TAG},Value=<reason>`,
    });
  },
};
