import { rotationFunctionOf } from '../../rotation/rotationFunction';
import { shellQuote } from '../../finding';
import { isoOf } from '../currentValue';
import { findingFromSecret, isReplica, secretArgs } from '../finding';
import type { InventoryCheck } from '../types';

/** A rotation runs within its window (up to a day); only after that is it missed. */
export const MISSED_GRACE_MS = 24 * 3_600_000;

export const rotationMissed: InventoryCheck = {
  kind: 'scan',
  id: 'rotation-missed',
  family: 'inventory',
  title: 'Scheduled rotation did not happen',
  description:
    "Rotation is on, but the secret's NextRotationDate passed more than 24 hours ago without a rotation: the rotation function is failing or cannot be invoked (Security Hub SecretsManager.2).",
  severityRule: 'HIGH',
  severities: ['HIGH'],
  monitor: 'inventoryScan',
  events: [],
  settings: ['maxRotationDays'],
  gauge: 'RotationMissed',
  summary: (f) => `due ${String(f.details.nextRotationDate).slice(0, 10)}, ${f.details.hoursLate} hours late`,
  evaluate(view, ctx) {
    const { secret } = view;
    if (!secret.rotationEnabled || secret.nextRotationMs === null || isReplica(view)) return null;
    const lateMs = ctx.now.getTime() - secret.nextRotationMs;
    if (lateMs <= MISSED_GRACE_MS) return null;
    const fn = rotationFunctionOf(secret.rotationLambdaArn);
    const hoursLate = Math.floor(lateMs / 3_600_000);
    return findingFromSecret(this, view, {
      severity: 'HIGH',
      title: `Secret ${secret.name} missed its rotation due ${isoOf(secret.nextRotationMs).slice(0, 10)} (${hoursLate >= 48 ? `${Math.floor(hoursLate / 24)} days` : `${hoursLate} hours`} late)`,
      nonCompliantSince: isoOf(secret.nextRotationMs + MISSED_GRACE_MS),
      details: {
        nextRotationDate: isoOf(secret.nextRotationMs),
        hoursLate,
        lastRotatedDate: secret.lastRotatedMs === null ? null : isoOf(secret.lastRotatedMs),
        rotationLambdaArn: secret.rotationLambdaArn,
        logGroup: fn?.logGroup ?? null,
        ...(secret.owningService ? { owningService: secret.owningService } : {}),
      },
      remediation: fn
        ? `Find out why the rotation function fails in its log group (aws logs tail ${shellQuote(fn.logGroup)} --since 2d${view.region ? ` --region ${shellQuote(view.region)}` : ''}), fix it, then rotate: aws secretsmanager rotate-secret ${secretArgs(view)}`
        : `Rotate now and watch the result: aws secretsmanager rotate-secret ${secretArgs(view)}${secret.owningService ? ` (rotation is managed by ${secret.owningService}: check that service's events)` : ''}`,
    });
  },
};
