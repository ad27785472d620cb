import { setTimeout as sleep } from 'node:timers/promises';

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

export const systemClock: Clock = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/**
 * Spaces calls evenly at `perSecond` (a token bucket of one token): however many callers wait at
 * once, no second ever sees more than `perSecond` calls start. Each caller is given the next free
 * slot, so waiters are served in order and none is starved.
 */
export class RateLimiter {
  private nextSlot = -Infinity;
  private readonly intervalMs: number;

  constructor(
    readonly perSecond: number,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(perSecond > 0)) throw new RangeError(`rate must be positive, got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  async take(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.intervalMs;
    if (slot > now) await this.clock.sleep(slot - now);
  }
}
