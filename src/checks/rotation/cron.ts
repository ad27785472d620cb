/**
 * The day part of an EventBridge-style cron expression as Secrets Manager rotation schedules use
 * it: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`. Rotation compliance is measured in
 * days, so only which days fire matters: minutes and hours are validated loosely and ignored.
 * Supports `*`, `?`, lists, ranges, steps, month and weekday names, `L`, `W`, `LW`, `nL` and `n#k`.
 */

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Day-of-week 1 is Sunday, as in EventBridge. */
const WEEKDAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const DAY_MS = 86_400_000;

export interface CronDays {
  /** Does the schedule fire on this UTC day (any time of day)? */
  firesOn(dayStartMs: number): boolean;
  /** Minutes after midnight of the day's first firing, when the expression names one; else 0. */
  firstMinuteOfDay: number;
}

type DayTest = (year: number, month: number, day: number, weekday: number, daysInMonth: number) => boolean;

function numberOrName(token: string, names: readonly string[] | null, min: number, max: number): number | null {
  const upper = token.toUpperCase();
  const named = names ? names.indexOf(upper) : -1;
  const value = named >= 0 ? named + min : /^\d+$/.test(token) ? Number(token) : NaN;
  return Number.isInteger(value) && value >= min && value <= max ? value : null;
}

/** `*`, `a`, `a-b`, with an optional `/step`, comma-separated: the set of values, or null if invalid. */
function valueSet(field: string, min: number, max: number, names: readonly string[] | null): Set<number> | null {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return null;
    let from: number | null;
    let to: number | null;
    if (m[1] === '*') [from, to] = [min, max];
    else if (m[1].includes('-')) {
      const [a, b, ...rest] = m[1].split('-');
      if (rest.length) return null;
      [from, to] = [numberOrName(a, names, min, max), numberOrName(b, names, min, max)];
    } else {
      from = numberOrName(m[1], names, min, max);
      to = m[2] === undefined ? from : max;
    }
    if (from === null || to === null || from > to) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

function nearestWeekday(year: number, month: number, target: number, daysInMonth: number): number {
  const weekday = new Date(Date.UTC(year, month - 1, target)).getUTCDay();
  if (weekday === 6) return target === 1 ? 3 : target - 1;
  if (weekday === 0) return target === daysInMonth ? target - 2 : target + 1;
  return target;
}

function dayOfMonthTest(field: string): DayTest | null {
  if (field === '?' || field === '*') return () => true;
  if (field === 'L') return (_y, _m, day, _w, dim) => day === dim;
  if (field === 'LW') return (y, m, day, _w, dim) => day === nearestWeekday(y, m, dim, dim);
  const w = /^(\d{1,2})W$/.exec(field);
  if (w) {
    const target = Number(w[1]);
    if (target < 1 || target > 31) return null;
    return (y, m, day, _w, dim) => target <= dim && day === nearestWeekday(y, m, target, dim);
  }
  const days = valueSet(field, 1, 31, null);
  return days ? (_y, _m, day) => days.has(day) : null;
}

function dayOfWeekTest(field: string): DayTest | null {
  if (field === '?' || field === '*') return () => true;
  if (field === 'L') return (_y, _m, _d, weekday) => weekday === 7;
  const last = /^(\w+)L$/.exec(field);
  if (last) {
    const target = numberOrName(last[1], WEEKDAY_NAMES, 1, 7);
    return target === null ? null : (_y, _m, day, weekday, dim) => weekday === target && day + 7 > dim;
  }
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth) {
    const target = numberOrName(nth[1], WEEKDAY_NAMES, 1, 7);
    const k = Number(nth[2]);
    return target === null ? null : (_y, _m, day, weekday) => weekday === target && Math.ceil(day / 7) === k;
  }
  const days = valueSet(field, 1, 7, WEEKDAY_NAMES);
  return days ? (_y, _m, _d, weekday) => days.has(weekday) : null;
}

/** `cron(...)` as rotation schedules write it, or null when it is not one this module can read. */
export function parseCron(expression: string): CronDays | null {
  const m = /^cron\((.*)\)$/i.exec(expression.trim());
  if (!m) return null;
  const fields = m[1].trim().split(/\s+/);
  if (fields.length !== 6) return null;
  const [minutes, hours, dom, month, dow, year] = fields;
  // EventBridge requires exactly one of the two day fields to be "?".
  if ((dom === '?') === (dow === '?')) return null;
  const minuteValues = valueSet(minutes, 0, 59, null);
  const hourValues = valueSet(hours, 0, 23, null);
  const months = valueSet(month, 1, 12, MONTH_NAMES);
  const years = year === '*' ? null : valueSet(year, 1970, 2199, null);
  const domTest = dayOfMonthTest(dom);
  const dowTest = dayOfWeekTest(dow);
  if (!minuteValues || !hourValues || !months || (year !== '*' && !years) || !domTest || !dowTest) return null;
  return {
    firstMinuteOfDay: Math.min(...hourValues) * 60 + Math.min(...minuteValues),
    firesOn(dayStartMs) {
      const date = new Date(dayStartMs);
      const y = date.getUTCFullYear();
      const mo = date.getUTCMonth() + 1;
      if (!months.has(mo) || (years && !years.has(y))) return false;
      const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
      const d = date.getUTCDate();
      const weekday = date.getUTCDay() + 1;
      return domTest(y, mo, d, weekday, dim) && dowTest(y, mo, d, weekday, dim);
    },
  };
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The first firing at or after `fromMs` within `horizonDays`, or null. */
export function nextCronFiring(cron: CronDays, fromMs: number, horizonDays: number): number | null {
  const firstDay = startOfUtcDay(fromMs);
  for (let i = 0; i <= horizonDays; i++) {
    const day = firstDay + i * DAY_MS;
    const at = day + cron.firstMinuteOfDay * 60_000;
    if (at >= fromMs && cron.firesOn(day)) return at;
  }
  return null;
}

/**
 * The longest wait, in days, between firings seen over `horizonDays` from `fromMs`: the wait before
 * the first firing and after the last one count too (each is at most a real gap), so over a horizon
 * of a few years this is the real longest gap of any periodic schedule. Infinity when it never fires.
 */
export function longestCronGapDays(cron: CronDays, fromMs: number, horizonDays: number): number {
  const firstDay = startOfUtcDay(fromMs);
  let previous = firstDay;
  let fired = false;
  let longest = 0;
  for (let i = 0; i <= horizonDays; i++) {
    const day = firstDay + i * DAY_MS;
    if (!cron.firesOn(day)) continue;
    fired = true;
    longest = Math.max(longest, (day - previous) / DAY_MS);
    previous = day;
  }
  if (!fired) return Infinity;
  return Math.max(longest, (firstDay + horizonDays * DAY_MS - previous) / DAY_MS);
}
