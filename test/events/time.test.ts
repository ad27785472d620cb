import { normalizeEventTime, parseDeletionDate } from '../../src/events/time';

describe('parseDeletionDate', () => {
  test.each([
    ['Jul 10, 2023, 12:07:59 PM', '2023-07-10T12:07:59Z'],
    ['May 3, 2018 5:51:02 PM', '2018-05-03T17:51:02Z'],
    ['Jan 7, 2024, 4:26:16 AM', '2024-01-07T04:26:16Z'],
    ['Dec 1, 2023, 12:00:00 AM', '2023-12-01T00:00:00Z'],
    ['Sep 30, 2023 23:15:00', '2023-09-30T23:15:00Z'],
    ['2024-02-01T10:00:00Z', '2024-02-01T10:00:00Z'],
    [1704601576, '2024-01-07T04:26:16Z'],
  ])('%s', (input, iso) => {
    expect(parseDeletionDate(input)).toBe(iso);
  });

  test.each([['Feb 30, 2024, 1:00:00 PM'], ['Foo 1, 2024, 1:00:00 PM'], ['13:00 tomorrow'], ['Jan 1, 2024, 13:00:00 PM'], [null], [{}], ['']])('%s is not a date', (input) => {
    expect(parseDeletionDate(input)).toBeNull();
  });
});

describe('normalizeEventTime', () => {
  test.each([
    ['2023-07-10T12:07:59Z', '2023-07-10T12:07:59Z'],
    ['2023-07-10T12:07:59.123Z', '2023-07-10T12:07:59Z'],
    ['2024-10-17 21:48:45.000000000', '2024-10-17T21:48:45Z'],
    ['2023-07-10T14:07:59+02:00', '2023-07-10T12:07:59Z'],
  ])('%s', (input, iso) => expect(normalizeEventTime(input)).toBe(iso));

  test.each(['', 'now', '2023-13-45T00:00:00Z', '10/07/2023'])('%s is refused', (input) => expect(normalizeEventTime(input)).toBeNull());
});
