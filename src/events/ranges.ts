import { InvalidEventError } from './errors';

/** The latest instant a Date can hold is far past this; ISO 8601 with a 4-digit year ends here. */
const LAST_EPOCH_SECOND = 253_402_300_799;

/** Secrets Manager's own bounds on the numbers the checks read (DeleteSecret, RotateSecret). */
const RECOVERY_WINDOW_DAYS = { min: 7, max: 30 };
const AUTOMATICALLY_AFTER_DAYS = { min: 1, max: 1000 };

/** A number, or a number written as a string (some exporters do); NaN for anything else. */
function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

function integerIn(value: unknown, field: string, range: { min: number; max: number }, eventId: string | null): void {
  if (value === undefined || value === null) return;
  const n = asNumber(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    const shown = typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 40) : `a value of type ${Array.isArray(value) ? 'list' : typeof value}`;
    throw new InvalidEventError(
      'out-of-range',
      `${field}: ${shown} is not a whole number from ${range.min} to ${range.max}, the range Secrets Manager accepts; a call it accepted cannot carry it`,
      eventId,
    );
  }
}

function field(object: unknown, key: string): unknown {
  return typeof object === 'object' && object !== null && !Array.isArray(object) && Object.hasOwn(object, key) ? (object as Record<string, unknown>)[key] : undefined;
}

/**
 * A call that Secrets Manager accepted carries only numbers and dates within its own bounds. One
 * outside them (a recovery window of 1e9 days, a deletion date in the year 3e12) was not written
 * by CloudTrail: it is rejected here with its reason, before a check computes a date from it. A
 * refused call (errorCode) is logged with whatever the caller sent, and is left to the checks,
 * which read such values defensively.
 */
export function checkAcceptedCallRanges(requestParameters: Record<string, unknown>, responseElements: Record<string, unknown>, eventId: string | null): void {
  integerIn(requestParameters.recoveryWindowInDays, 'requestParameters.recoveryWindowInDays', RECOVERY_WINDOW_DAYS, eventId);
  integerIn(field(requestParameters.rotationRules, 'automaticallyAfterDays'), 'requestParameters.rotationRules.automaticallyAfterDays', AUTOMATICALLY_AFTER_DAYS, eventId);
  const deletionDate = responseElements.deletionDate;
  if (typeof deletionDate === 'number' && !(Number.isFinite(deletionDate) && deletionDate >= 0 && deletionDate <= LAST_EPOCH_SECOND)) {
    throw new InvalidEventError('out-of-range', `responseElements.deletionDate: ${String(deletionDate).slice(0, 40)} is not a time in epoch seconds between 1970 and 9999`, eventId);
  }
}
