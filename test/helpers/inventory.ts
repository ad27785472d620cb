import type { InventorySecret } from '../../src/resources/secret';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const NOW = new Date('2024-06-01T00:00:00Z');
export const NOW_MS = NOW.getTime();

let serial = 0;

/** A secret as ListSecrets would describe it: created 10 days before NOW, never rotated or read, default key. */
export function secret(overrides: Partial<InventorySecret> = {}): InventorySecret {
  const name = overrides.name ?? `app/secret-${++serial}`;
  return {
    arn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${name}-AbC${String(serial).padStart(3, '0')}`,
    name,
    createdMs: NOW_MS - 10 * DAY,
    lastChangedMs: null,
    lastRotatedMs: null,
    lastAccessedMs: null,
    nextRotationMs: null,
    deletedMs: null,
    rotationEnabled: false,
    rotationRules: null,
    rotationLambdaArn: null,
    kmsKeyId: null,
    owningService: null,
    primaryRegion: null,
    tags: {},
    ...overrides,
  };
}

/** Rotation on every `days` days, last rotated `agoDays` ago, next one due on schedule; read yesterday. */
export function rotating(days: number, agoDays: number, overrides: Partial<InventorySecret> = {}): InventorySecret {
  return secret({
    rotationEnabled: true,
    rotationRules: { automaticallyAfterDays: days },
    rotationLambdaArn: 'arn:aws:lambda:eu-west-1:111122223333:function:rotator',
    lastRotatedMs: NOW_MS - agoDays * DAY,
    lastChangedMs: NOW_MS - agoDays * DAY,
    nextRotationMs: NOW_MS - agoDays * DAY + days * DAY,
    createdMs: NOW_MS - 400 * DAY,
    lastAccessedMs: NOW_MS - DAY,
    ...overrides,
  });
}
