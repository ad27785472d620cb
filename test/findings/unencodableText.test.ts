/**
 * A caller chooses the secret id of a refused call: any string, including what no encoding can
 * carry. Building links, subjects and messages must never throw on it, or the alert is never sent
 * and every retry fails the same way.
 */
import { deletionChecks } from '../helpers/checks';
import { ctx, derive } from '../helpers/fixtures';
import { runEventChecks } from '../../src/checks/check';
import { findingEntry } from '../../src/delivery/bus';
import { publishInput } from '../../src/delivery/sns';
import { parseEvent } from '../../src/events/parse';
import { chatbotNotification } from '../../src/findings/chatbot';
import { emailText } from '../../src/findings/email';
import type { Finding } from '../../src/findings/finding';
import { consoleLink } from '../../src/findings/links';
import { findingJsonLine, findingsMarkdown, findingsTable } from '../../src/findings/render';
import { slackFindingMessage } from '../../src/findings/slack';
import { subjectFor } from '../../src/findings/subject';

const NAMES: [string, string][] = [
  ['a lone high surrogate', 'prod/\ud800db'],
  ['a lone low surrogate at the end', 'prod/db\udfff'],
  ['a reversed pair', 'prod/\udc00\ud800'],
  ['NUL', 'prod/\u0000db'],
  ['10,000 characters', `prod/${'n'.repeat(9_995)}`],
  ['all of them', `\ud800\u0000${'x'.repeat(10_000)}\udfff`],
];

/** The deletion of a secret the caller names (a refused DeleteSecret carries whatever was sent), run through the real checks. */
function deletionOf(name: string): Finding {
  const event = derive('DeleteSecret/invictus-awsds-1.json', (r) => {
    (r.requestParameters as Record<string, unknown>).secretId = name;
    delete (r.responseElements as Record<string, unknown>).arn;
    delete (r.responseElements as Record<string, unknown>).aRN;
    (r.responseElements as Record<string, unknown>).name = name;
  });
  const [finding] = runEventChecks(deletionChecks, parseEvent(event).record, ctx());
  if (!finding) throw new Error('the derived deletion gave no finding');
  return finding;
}

/** What the SDK's query protocol (SNS) does to every string of a request: throws URIError on a lone surrogate. */
function queryEncodable(value: unknown): boolean {
  if (typeof value === 'string') {
    encodeURIComponent(value);
    return true;
  }
  if (value && typeof value === 'object') return Object.values(value).every(queryEncodable);
  return true;
}

describe.each(NAMES)('a secret name with %s', (_label, name) => {
  const finding = deletionOf(name);

  test('the console link is built, encoded, and points at the console', () => {
    const link = consoleLink(finding);
    expect(link).not.toBeNull();
    const url = new URL(link as string);
    expect(url.host).toBe(`${finding.region}.console.aws.amazon.com`);
    expect(url.searchParams.get('region')).toBe(finding.region);
    expect(url.searchParams.get('name')).toHaveLength(name.length);
  });

  test('every renderer gives its text without throwing', () => {
    expect(emailText(finding)).toContain('Console: https://');
    expect(JSON.stringify(slackFindingMessage(finding))).toContain('blocks');
    expect(subjectFor(finding).length).toBeLessThan(100);
    expect(JSON.stringify(chatbotNotification(finding))).toContain('secret-');
    expect(findingsTable([finding])).toContain('secret-');
    expect(findingsMarkdown([finding])).toContain('secret-');
    expect(JSON.parse(findingJsonLine(finding))).toEqual(JSON.parse(JSON.stringify(finding)));
  });

  test('what the alert topic and the bus are sent can be encoded by the SDK, and carries the name', () => {
    const input = publishInput('arn:aws:sns:us-east-1:123837392027:alerts', finding);
    expect(queryEncodable(input)).toBe(true);
    expect(JSON.parse(JSON.parse(input.Message).default).resource.name).toBe(name);
    const entry = findingEntry('findings', finding, new Date(0));
    expect(JSON.parse(entry.Detail as string).resource.name).toBe(name);
  });
});
