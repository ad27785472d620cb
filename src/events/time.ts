/**
 * CloudTrail writes `eventTime` as ISO 8601; some exporters (Panther, Athena) write
 * "2024-10-17 21:48:45.000000000". Both are UTC. Returns ISO 8601 to the second, or null.
 */
export function normalizeEventTime(value: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? null : toIsoSeconds(new Date(ms));
}

export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * `responseElements.deletionDate` is human text in the service's locale format, e.g.
 * "Jul 10, 2023, 12:07:59 PM" or "May 3, 2018 5:51:02 PM" (UTC). Returns ISO 8601, or null
 * when the text is in no form seen so far (the caller falls back to eventTime + window).
 */
export function parseDeletionDate(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Some SDK-shaped records carry epoch seconds; one beyond what a Date holds is no date at all.
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? null : toIsoSeconds(date);
  }
  if (typeof value !== 'string') return null;
  const iso = normalizeEventTime(value);
  if (iso) return iso;
  const m = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})\s*([AaPp][Mm])?$/.exec(value.trim());
  if (!m) return null;
  const month = MONTHS[m[1].toLowerCase()];
  if (month === undefined) return null;
  let hour = Number(m[4]);
  const meridiem = m[7]?.toUpperCase();
  if (hour > 23 || (meridiem && (hour < 1 || hour > 12))) return null;
  if (meridiem === 'PM' && hour !== 12) hour += 12;
  if (meridiem === 'AM' && hour === 12) hour = 0;
  const day = Number(m[2]);
  const date = new Date(Date.UTC(Number(m[3]), month, day, hour, Number(m[5]), Number(m[6])));
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month) return null;
  return toIsoSeconds(date);
}
