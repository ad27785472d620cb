import { makeFinding } from '../helpers/findings';
import { publishInput } from '../../src/delivery/sns';
import { subjectFor } from '../../src/findings/subject';
import type { Finding } from '../../src/findings/finding';

const base: Finding = makeFinding({
  check: 'secret-deletion-scheduled',
  severity: 'MEDIUM',
  title: 'x',
  secret: { arn: null, name: 'n', id: 'n' },
  account: '111122223333',
  region: 'us-east-1',
  actor: null,
  event: null,
  details: {},
  remediation: 'r',
});

test.each([
  ['a short title', 'Secret a was restored', '[MEDIUM] Secret a was restored'],
  ['a long title is cut under 100 characters', `Secret ${'very-long-name/'.repeat(20)} scheduled`, expect.stringMatching(/^\[MEDIUM\] Secret very-long-name.*\.\.\.$/)],
  ['line breaks fold; control and bidi characters show as escapes', 'Secret a\nwas\tdeleted\u0000\u202e', '[MEDIUM] Secret a was deleted\\x00\\u202E'],
  ['a forged header line stays in the subject', 'x\r\nSubject: [CRITICAL] fake\r\nWho: admin', '[MEDIUM] x Subject: [CRITICAL] fake Who: admin'],
  ['non-ASCII is folded or dropped (SNS subjects are ASCII)', 'Secret Jürgen 🚀 deleted', '[MEDIUM] Secret Jurgen deleted'],
])('%s', (_name, title, subject) => {
  const s = subjectFor({ ...base, title });
  expect(s).toEqual(subject);
  expect(s.length).toBeLessThan(100);
  expect(s).toMatch(/^[\x20-\x7e]+$/);
});

test.each([30_000, 60_000, 120_000, 250_000])('a finding with %i bytes of details fits in one SNS message, details kept when they fit', (size) => {
  const input = publishInput('arn:aws:sns:us-east-1:111122223333:t', { ...base, details: { policy: 'x'.repeat(size) } });
  expect(Buffer.byteLength(input.Message)).toBeLessThanOrEqual(256 * 1024);
  const details = JSON.parse(JSON.parse(input.Message).default).details;
  expect(details.truncated).toBe(size > 120_000 ? true : undefined);
});

test('a finding with huge details still fits in an SNS message', () => {
  const input = publishInput('arn:aws:sns:us-east-1:111122223333:t', { ...base, details: { policy: 'x'.repeat(400_000) } });
  expect(Buffer.byteLength(input.Message)).toBeLessThan(256 * 1024);
  expect(JSON.parse(JSON.parse(input.Message).default).details).toEqual({ truncated: true, reason: 'details exceeded the SNS message size' });
});
