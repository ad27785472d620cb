/**
 * The Slack notifier end to end inside the process: SNS events as Lambda receives them (message
 * bodies built by the same code the monitors publish with), a real HTTP server on 127.0.0.1 as
 * the webhook.
 */
import { digestPublishInput } from '../../../src/delivery/digest';
import { publishInput, publishResolvedInput } from '../../../src/delivery/sns';
import type { ResolvedFinding } from '../../../src/findings/resolution';
import type { Finding } from '../../../src/findings/finding';
import { slackDigestMessage, slackFindingMessage, slackResolvedMessage } from '../../../src/findings/slack';
import { notifySlack, SlackDeliveryError, type SlackNotifierDeps } from '../../../src/delivery/slack/notifier';
import { cachedWebhookUrl, WebhookSecretError } from '../../../src/delivery/slack/webhookUrl';
import { digestOf, forceDeletedFinding } from '../../helpers/findings';
import { recordingLog, useFakeSlack, WEBHOOK_PATH, WEBHOOK_TOKEN } from '../../helpers/slackServer';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:secretwatch-dev-alerts';
const slack = useFakeSlack();

/** What SNS hands a Lambda subscriber: the `default` message of the JSON structure, and the attributes. */
function snsRecord(input: { Message: string; MessageAttributes: Record<string, { DataType: string; StringValue: string }> }, id = 'msg-1') {
  return {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: `${TOPIC}:sub`,
    Sns: {
      Type: 'Notification',
      MessageId: id,
      TopicArn: TOPIC,
      Subject: null,
      Message: JSON.parse(input.Message).default as string,
      Timestamp: '2024-06-01T00:00:00.000Z',
      MessageAttributes: Object.fromEntries(Object.entries(input.MessageAttributes).map(([k, v]) => [k, { Type: v.DataType, Value: v.StringValue }])),
    },
  };
}

function findingEvent(...findings: Finding[]) {
  return { Records: findings.map((f, i) => snsRecord(publishInput(TOPIC, f), `msg-${i + 1}`)) };
}

function deps(overrides: Partial<SlackNotifierDeps> = {}) {
  const log = recordingLog();
  const reads = { count: 0 };
  const webhook = cachedWebhookUrl(async () => {
    reads.count++;
    return slack.url;
  });
  const d: SlackNotifierDeps = {
    webhook,
    minSeverity: 'MEDIUM',
    metricNamespace: 'SecretWatch',
    now: () => new Date('2024-06-01T00:00:00Z'),
    log,
    deadlineMs: Date.now() + 10_000,
    postOptions: { backoffMs: 5 },
    ...overrides,
  };
  return { d, log, reads };
}

function expectNoUrl(log: ReturnType<typeof recordingLog>, error?: unknown): void {
  for (const text of [log.text(), error instanceof Error ? `${error.message}\n${error.stack}` : '']) {
    expect(text).not.toContain(WEBHOOK_TOKEN);
    expect(text).not.toContain(WEBHOOK_PATH);
  }
}

const finding = forceDeletedFinding();

test('a finding from the alert topic is posted as its Block Kit message, once', async () => {
  const { d, log } = deps();
  await expect(notifySlack(findingEvent(finding), d)).resolves.toEqual({ posted: 1, skipped: 0, invalid: 0, rejected: 0 });
  expect(slack.payloads()).toEqual([JSON.parse(JSON.stringify(slackFindingMessage(finding)))]);
  expect(log.lines.find((l) => l.message === 'posted to Slack')?.extra).toEqual({
    messageId: 'msg-1',
    kind: 'finding',
    check: 'secret-force-deleted',
    severity: 'CRITICAL',
    eventId: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9',
    attempts: 1,
  });
  expectNoUrl(log);
});

test('a scan digest is posted as one message with its list', async () => {
  const digest = digestOf(30);
  const { d } = deps();
  await expect(notifySlack({ Records: [snsRecord(digestPublishInput(TOPIC, digest))] }, d)).resolves.toEqual({ posted: 1, skipped: 0, invalid: 0, rejected: 0 });
  expect(slack.payloads()).toEqual([JSON.parse(JSON.stringify(slackDigestMessage(digest)))]);
});

test('below slackMinSeverity: not posted (the filter policy normally keeps it away)', async () => {
  const { d } = deps({ minSeverity: 'CRITICAL' });
  await expect(notifySlack(findingEvent({ ...finding, severity: 'HIGH' }), d)).resolves.toEqual({ posted: 0, skipped: 1, invalid: 0, rejected: 0 });
  expect(slack.requests).toHaveLength(0);
});

describe('malformed input: logged, dropped, not retried (retrying cannot fix it)', () => {
  test.each([
    ['a message that is not JSON', 'not json at all', 'the message is not JSON'],
    ['JSON that is not a finding', JSON.stringify({ hello: 'world' }), 'not a finding: check: '],
    ['a finding with an unknown severity', JSON.stringify({ ...finding, severity: 'URGENT' }), 'not a finding: severity: '],
    ['a digest missing its entries', JSON.stringify({ ...digestOf(1), entries: undefined }), 'not a scan digest: entries: '],
  ])('%s', async (_name, message, reason) => {
    const { d, log } = deps();
    const record = snsRecord(publishInput(TOPIC, finding));
    record.Sns.Message = message;
    await expect(notifySlack({ Records: [record] }, d)).resolves.toEqual({ posted: 0, skipped: 0, invalid: 1, rejected: 0 });
    expect(slack.requests).toHaveLength(0);
    const line = log.lines.find((l) => l.level === 'error');
    expect(line?.message).toBe('alert-topic message is neither a finding, a scan digest nor a resolved finding: dropped, not retried');
    expect(String(line?.extra.reason)).toContain(reason);
    expect(line?.extra.messageId).toBe('msg-1');
  });

  test.each([
    ['no Records', {}],
    ['an empty Records list', { Records: [] }],
    ['a record without Sns', { Records: [{ EventSource: 'aws:sqs', body: '{}' }] }],
    ['not an object', 'hello'],
  ])('an event with %s', async (_name, event) => {
    const { d, log } = deps();
    await expect(notifySlack(event, d)).resolves.toEqual({ posted: 0, skipped: 0, invalid: 1, rejected: 0 });
    expect(log.lines.find((l) => l.level === 'error')?.message).toBe('not an SNS event: dropped, not retried');
  });

  test('a malformed record does not stop the good one next to it', async () => {
    const { d } = deps();
    const event = findingEvent(finding, finding);
    event.Records[0].Sns.Message = '{';
    await expect(notifySlack(event, d)).resolves.toEqual({ posted: 1, skipped: 0, invalid: 1, rejected: 0 });
  });
});

describe('failures fail the invocation (Lambda retries it, then dead-letters it)', () => {
  test.each([403, 404, 410])('Slack refuses the webhook for good (%d): recorded, counted in SlackRejected, not retried; the URL is read again next time', async (status) => {
    slack.reply({ status, body: 'channel_not_found' });
    const { d, log, reads } = deps();
    await expect(notifySlack(findingEvent(finding, { ...finding, severity: 'HIGH' }), d)).resolves.toEqual({ posted: 0, skipped: 0, invalid: 0, rejected: 2 });
    expect(slack.requests).toHaveLength(2);
    const refusals = log.lines.filter((l) => l.message === 'Slack refused the message for good: not retried');
    expect(refusals).toHaveLength(2);
    expect(refusals[0].extra).toMatchObject({
      messageId: 'msg-1',
      check: 'secret-force-deleted',
      status,
      slackError: 'channel_not_found',
      SlackRejected: 1,
      _aws: { Timestamp: Date.parse('2024-06-01T00:00:00Z'), CloudWatchMetrics: [{ Namespace: 'SecretWatch', Dimensions: [[]], Metrics: [{ Name: 'SlackRejected', Unit: 'Count' }] }] },
    });
    await d.webhook.get();
    expect(reads.count).toBe(3);
    expectNoUrl(log);
  });

  test('Slack refuses the blocks (400) and then the plain text too: rejected, not retried', async () => {
    slack.reply({ status: 400, body: 'invalid_blocks' }, { status: 400, body: 'invalid_payload' });
    const { d, log } = deps();
    await expect(notifySlack(findingEvent(finding), d)).resolves.toEqual({ posted: 0, skipped: 0, invalid: 0, rejected: 1 });
    expect(slack.requests).toHaveLength(2);
    expect(log.lines.find((l) => l.message === 'Slack refused the message for good: not retried')?.extra).toMatchObject({ status: 400, slackError: 'invalid_payload' });
  });

  test('one record fails and one is posted: the invocation fails for the one', async () => {
    slack.reply({ status: 200 }, { status: 500 });
    const { d } = deps({ postOptions: { backoffMs: 1, maxAttempts: 2 } });
    const error = await notifySlack(findingEvent(finding, finding), d).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^1 of 2 message\(s\) not posted to Slack/);
  });

  test('the webhook secret cannot be read: nothing is posted, the invocation fails', async () => {
    const { d, log } = deps({ webhook: cachedWebhookUrl(async () => Promise.reject(new WebhookSecretError('could not read the webhook secret arn:x: AccessDeniedException: no'))) });
    await expect(notifySlack(findingEvent(finding), d)).rejects.toThrow(SlackDeliveryError);
    expect(slack.requests).toHaveLength(0);
    expect(log.lines.find((l) => l.level === 'error')?.extra.error).toEqual({ name: 'WebhookSecretError', message: 'could not read the webhook secret arn:x: AccessDeniedException: no' });
  });

  test('Slack refuses the blocks (400): the alert goes out as plain text instead', async () => {
    slack.reply({ status: 400, body: 'invalid_blocks' }, { status: 200 });
    const { d, log } = deps();
    await expect(notifySlack(findingEvent(finding), d)).resolves.toEqual({ posted: 1, skipped: 0, invalid: 0, rejected: 0 });
    const [, plain] = slack.payloads() as Record<string, unknown>[];
    expect(Object.keys(plain)).toEqual(['text']);
    expect(plain.text).toContain(`CRITICAL: ${finding.title}`);
    expect(plain.text).toContain('|Open in the Secrets Manager console>');
    expect(log.lines.find((l) => l.level === 'warn')?.extra).toMatchObject({ slackError: 'invalid_blocks' });
  });
});

describe('a finding that closed (slackResolved)', () => {
  const resolved: ResolvedFinding = {
    type: 'secretwatch-finding-resolved',
    id: 'secretwatch/secret-policy-public/111122223333/eu-west-1/abc',
    check: 'secret-policy-public',
    severity: 'CRITICAL',
    title: 'Secret prod/db made public by its resource policy',
    resource: { type: 'AwsSecretsManagerSecret', arn: null, name: 'prod/db', id: 'prod/db' },
    account: '111122223333',
    region: 'eu-west-1',
    reason: 'the resource policy was deleted',
    event: { id: 'e-9', name: 'DeleteResourcePolicy', time: '2024-06-01T00:00:00Z' },
    resolvedAt: '2024-06-01T00:00:05.000Z',
  };

  test('is posted as a green "Resolved" message, judged by the severity it had', async () => {
    const { d, log } = deps();
    await expect(notifySlack({ Records: [snsRecord(publishResolvedInput(TOPIC, resolved))] }, d)).resolves.toEqual({ posted: 1, skipped: 0, invalid: 0, rejected: 0 });
    const [payload] = slack.payloads() as { text: string; attachments: { color: string; blocks: { text?: { text: string } }[] }[] }[];
    expect(payload).toEqual(JSON.parse(JSON.stringify(slackResolvedMessage(resolved))));
    expect(payload.text).toBe(':white_check_mark: Resolved: Secret prod/db made public by its resource policy');
    expect(JSON.stringify(payload)).toContain('the resource policy was deleted');
    expect(log.lines.find((l) => l.message === 'posted to Slack')?.extra).toMatchObject({ kind: 'resolved', check: 'secret-policy-public', severity: 'CRITICAL' });
  });

  test('below slackMinSeverity it is skipped; a malformed one is dropped, not retried', async () => {
    const { d } = deps({ minSeverity: 'CRITICAL' });
    const low = { ...resolved, severity: 'LOW' as const };
    const broken = { ...snsRecord(publishResolvedInput(TOPIC, resolved), 'msg-2') };
    broken.Sns.Message = JSON.stringify({ ...resolved, id: '' });
    await expect(notifySlack({ Records: [snsRecord(publishResolvedInput(TOPIC, low)), broken] }, d)).resolves.toEqual({ posted: 0, skipped: 1, invalid: 1, rejected: 0 });
    expect(slack.requests).toHaveLength(0);
  });

  test('carries no severityRank (the emails filter on it) but resolvedSeverityRank', () => {
    const input = publishResolvedInput(TOPIC, resolved);
    expect(Object.keys(input.MessageAttributes).sort()).toEqual(['check', 'kind', 'resolvedSeverityRank']);
    expect(input.MessageAttributes.resolvedSeverityRank).toEqual({ DataType: 'Number', StringValue: '5' });
    expect(input.Subject).toBe('[RESOLVED] Secret prod/db made public by its resource policy');
  });
});
