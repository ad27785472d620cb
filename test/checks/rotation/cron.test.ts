import { longestCronGapDays, nextCronFiring, parseCron } from '../../../src/checks/rotation/cron';
import { nextScheduledRotation, parseRotationSchedule } from '../../../src/checks/rotation/schedule';

const FROM = Date.parse('2024-01-01T00:00:00Z');
const gap = (expression: string) => {
  const cron = parseCron(expression);
  if (!cron) throw new Error(`not parsed: ${expression}`);
  return longestCronGapDays(cron, FROM, 3 * 366);
};

describe('cron expressions of rotation schedules', () => {
  test.each([
    ['cron(0 0 * * ? *)', 1],
    ['cron(0 8 ? * MON-FRI *)', 3],
    ['cron(0 8 ? * 2,4,6 *)', 3],
    ['cron(0 8 ? * SUN *)', 7],
    ['cron(0 0 1/2 * ? *)', 2],
    ['cron(0 0 L * ? *)', 31],
    // The 15th moves to Friday the 14th or Monday the 16th: at most a month and a day apart.
    ['cron(0 0 15W * ? *)', 32],
    ['cron(0 0 LW * ? *)', 33],
    ['cron(0 0 ? * 6L *)', 35],
    ['cron(0 0 ? * MON#2 *)', 35],
    ['cron(0 0 1 */3 ? *)', 92],
  ])('%s: longest gap %i days', (expression, days) => {
    expect(gap(expression)).toBe(days);
  });

  test('a gap longer than the horizon is seen as at least the horizon after the firing (a leap day: 1,039 of 1,461)', () => {
    expect(gap('cron(0 0 29 FEB ? *)')).toBe(1039);
  });

  test('a year-limited schedule stops: the gap after its last firing counts', () => {
    expect(gap('cron(0 0 1 * ? 2024)')).toBeGreaterThan(700);
    expect(gap('cron(0 0 1 * ? 2019)')).toBe(Infinity);
  });

  test.each([
    'cron(0 0 * * * *)', // both day fields set
    'cron(0 0 ? * ? *)', // neither
    'cron(0 0 1 * ?)', // five fields
    'cron(61 0 1 * ? *)',
    'cron(0 24 1 * ? *)',
    'cron(0 0 32 * ? *)',
    'cron(0 0 1 13 ? *)',
    'cron(0 0 ? * 8 *)',
    'cron(0 0 ? * MON#6 *)',
    'cron(0 0 5-1 * ? *)',
    'cron(0 0 1/0 * ? *)',
    'rate(1 day)',
  ])('%s is not read', (expression) => {
    expect(parseCron(expression)).toBeNull();
  });

  test('the first firing at or after a moment, at its hour and minute', () => {
    const cron = parseCron('cron(30 16 1 * ? *)');
    expect(new Date(nextCronFiring(cron!, Date.parse('2024-01-01T17:00:00Z'), 400) ?? 0).toISOString()).toBe('2024-02-01T16:30:00.000Z');
    expect(new Date(nextCronFiring(cron!, Date.parse('2024-01-01T16:00:00Z'), 400) ?? 0).toISOString()).toBe('2024-01-01T16:30:00.000Z');
  });
});

describe('rotation schedules', () => {
  test('rate() and AutomaticallyAfterDays are intervals; the next rotation follows the last', () => {
    const s = parseRotationSchedule({ scheduleExpression: 'rate(10 days)' });
    expect(s).toMatchObject({ kind: 'interval', hours: 240 });
    expect(nextScheduledRotation(s as never, FROM)).toBe(FROM + 10 * 86_400_000);
    expect(parseRotationSchedule({ automaticallyAfterDays: 7 })).toMatchObject({ kind: 'interval', hours: 168, expression: 'AutomaticallyAfterDays=7' });
    expect(parseRotationSchedule({ scheduleExpression: 'RATE(4 HOURS)' })).toMatchObject({ kind: 'interval', hours: 4 });
  });

  test('nothing to read is no schedule; an expression that cannot be read is said so', () => {
    expect(parseRotationSchedule({})).toBeNull();
    expect(parseRotationSchedule({ automaticallyAfterDays: 0 })).toBeNull();
    expect(parseRotationSchedule({ scheduleExpression: 'rate(soon)' })).toMatchObject({ kind: 'unreadable', expression: 'rate(soon)' });
  });
});
