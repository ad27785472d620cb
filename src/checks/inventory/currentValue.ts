import type { CurrentVersion, InventorySecret } from '../../resources/secret';

export const DAY_MS = 86_400_000;

export type CurrentValueSource = 'LastRotatedDate' | 'CreatedDate' | 'AWSCURRENT version';

export interface CurrentValue {
  /** When the value in use was set (epoch ms). */
  sinceMs: number;
  source: CurrentValueSource;
}

/** The rotation-age baseline from ListSecrets alone: the last rotation, else creation. */
export function baselineValue(secret: InventorySecret): CurrentValue | null {
  if (secret.lastRotatedMs !== null) return { sinceMs: secret.lastRotatedMs, source: 'LastRotatedDate' };
  if (secret.createdMs !== null) return { sinceMs: secret.createdMs, source: 'CreatedDate' };
  return null;
}

/**
 * When the current value was set: the newer of the baseline and, when it was looked up, the
 * AWSCURRENT version's CreatedDate (a value put by hand with PutSecretValue is a rotation too). A version dated after
 * `nowMs` (an --as-of in the past) did not exist yet then and is ignored.
 */
export function currentValue(secret: InventorySecret, version: CurrentVersion | undefined, nowMs: number): CurrentValue | null {
  const base = baselineValue(secret);
  if (!base) return null;
  if (version && 'createdMs' in version && version.createdMs !== null && version.createdMs > base.sinceMs && version.createdMs <= nowMs) {
    return { sinceMs: version.createdMs, source: 'AWSCURRENT version' };
  }
  return base;
}

/**
 * Whether a secret "looks overdue" and so needs its AWSCURRENT version's date: its baseline alone
 * is older than its limit, and it changed after that baseline (LastChangedDate). A secret unchanged
 * since its last rotation or creation cannot have a newer value, so looking it up would only cost
 * a call.
 */
export function looksOverdue(secret: InventorySecret, maxRotationDays: number, nowMs: number): boolean {
  const base = baselineValue(secret);
  if (!base || nowMs - base.sinceMs <= maxRotationDays * DAY_MS) return false;
  return secret.lastChangedMs === null || secret.lastChangedMs > base.sinceMs;
}

/** ISO 8601 to the second, as findings carry dates (a scan makes tens of thousands: no regex). */
export function isoOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function wholeDays(ms: number): number {
  return Math.floor(ms / DAY_MS);
}
