import type { InventorySecret } from '../../resources/secret';
import { nextScheduledRotation, parseRotationSchedule } from '../rotation/schedule';
import { MISSED_GRACE_MS } from './rotation-missed';

export interface Projection {
  secrets: InventorySecret[];
  /** ARNs whose rotations were assumed. */
  projected: Set<string>;
}

/**
 * For `--as-of` a date after `nowMs`: the inventory as it will be if every healthy rotation schedule
 * keeps to itself. A secret with rotation on, a readable schedule and a NextRotationDate not yet
 * missed at `nowMs` is taken to rotate at each scheduled time up to `asOfMs`. Anything else (no
 * rotation, a rotation already missed, an unreadable schedule) stays as it is now.
 */
export function projectRotations(secrets: readonly InventorySecret[], nowMs: number, asOfMs: number): Projection {
  const projected = new Set<string>();
  if (asOfMs <= nowMs) return { secrets: [...secrets], projected };
  // Many secrets share a cron expression: each (expression, firing) is worked out once.
  const cronNext = new Map<string, number | null>();
  const out = secrets.map((secret) => {
    if (!secret.rotationEnabled || !secret.rotationRules || secret.nextRotationMs === null || secret.deletedMs !== null) return secret;
    if (nowMs - secret.nextRotationMs > MISSED_GRACE_MS || secret.nextRotationMs > asOfMs) return secret;
    const schedule = parseRotationSchedule(secret.rotationRules);
    if (!schedule || schedule.kind === 'unreadable') return secret;
    let last = secret.nextRotationMs;
    let next = nextScheduledRotation(schedule, last);
    if (schedule.kind === 'interval') {
      // Arithmetic, not a loop: rate(4 hours) over a year would be 2,000 steps per secret.
      const stepMs = schedule.hours * 3_600_000;
      const steps = Math.floor((asOfMs - last) / stepMs);
      last += steps * stepMs;
      next = last + stepMs;
    } else {
      while (next !== null && next <= asOfMs) {
        last = next;
        const key = `${schedule.expression}|${last}`;
        if (!cronNext.has(key)) cronNext.set(key, nextScheduledRotation(schedule, last));
        next = cronNext.get(key) as number | null;
      }
    }
    projected.add(secret.arn);
    return { ...secret, lastRotatedMs: last, lastChangedMs: Math.max(secret.lastChangedMs ?? last, last), nextRotationMs: next };
  });
  return { secrets: out, projected };
}
