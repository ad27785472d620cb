import { longestCronGapDays, nextCronFiring, parseCron, type CronDays } from './cron';
import type { RotationRulesInput } from '../../resources/secret';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Long enough to see every gap of a yearly schedule, with room to spare. */
const CRON_HORIZON_DAYS = 3 * 366;

/** A secret's rotation rules, as CloudTrail (camelCase) or ListSecrets (PascalCase) spell them. */
export type { RotationRulesInput };

export type RotationSchedule =
  | { kind: 'interval'; hours: number; expression: string }
  | { kind: 'cron'; cron: CronDays; expression: string }
  /** An expression this module cannot read: reported, never guessed. */
  | { kind: 'unreadable'; expression: string };

function positiveNumber(value: unknown): number | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** Reads `rotationRules` / `RotationRules` from any casing; null when there are no rules. */
export function rotationRulesOf(value: unknown): RotationRulesInput | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const rules = {
    automaticallyAfterDays: v.automaticallyAfterDays ?? v.AutomaticallyAfterDays,
    scheduleExpression: v.scheduleExpression ?? v.ScheduleExpression,
  };
  return rules.automaticallyAfterDays === undefined && rules.scheduleExpression === undefined ? null : rules;
}

/**
 * The schedule the rules describe. A ScheduleExpression wins over AutomaticallyAfterDays (the
 * service reports both for `rate(N days)`); `rate(N days|hours)` and `cron(...)` are understood.
 */
export function parseRotationSchedule(rules: RotationRulesInput): RotationSchedule | null {
  const expression = typeof rules.scheduleExpression === 'string' ? rules.scheduleExpression.trim() : '';
  if (expression) {
    const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/i.exec(expression);
    if (rate) {
      const n = Number(rate[1]);
      if (n < 1) return { kind: 'unreadable', expression };
      return { kind: 'interval', hours: rate[2].toLowerCase().startsWith('hour') ? n : n * 24, expression };
    }
    const cron = parseCron(expression);
    return cron ? { kind: 'cron', cron, expression } : { kind: 'unreadable', expression };
  }
  const days = positiveNumber(rules.automaticallyAfterDays);
  if (days !== null) return { kind: 'interval', hours: days * 24, expression: `AutomaticallyAfterDays=${days}` };
  return null;
}

/** The longest time the schedule lets a value live, in days (Infinity for a cron that never fires). */
export function longestIntervalDays(schedule: Exclude<RotationSchedule, { kind: 'unreadable' }>, fromMs: number): number {
  if (schedule.kind === 'interval') return schedule.hours / 24;
  return longestCronGapDays(schedule.cron, fromMs, CRON_HORIZON_DAYS);
}

/** When the schedule next rotates after a rotation due at `dueMs`; null when it never does again. */
export function nextScheduledRotation(schedule: Exclude<RotationSchedule, { kind: 'unreadable' }>, dueMs: number): number | null {
  if (schedule.kind === 'interval') return dueMs + schedule.hours * HOUR_MS;
  return nextCronFiring(schedule.cron, dueMs + DAY_MS, CRON_HORIZON_DAYS);
}
