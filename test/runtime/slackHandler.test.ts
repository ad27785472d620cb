import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { publishInput } from '../../src/delivery/sns';
import { createSlackHandler } from '../../src/runtime/slackHandler';
import { forceDeletedFinding } from '../helpers/findings';
import { FakeSlack, WEBHOOK_PATH, WEBHOOK_TOKEN } from '../helpers/slackServer';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:secretwatch/slack-AbCdEf';
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:secretwatch-dev-alerts';
const sm = mockClient(SecretsManagerClient);
const slack = new FakeSlack();
beforeAll(() => slack.start());
afterAll(() => slack.stop());
beforeEach(() => {
  sm.reset();
  slack.requests.length = 0;
  slack.reply({ status: 200 });
});

const context = { getRemainingTimeInMillis: () => 10_000, functionName: 'secretwatch-dev-slackNotifier', awsRequestId: 'req-1' } as unknown as Context;

function event() {
  const input = publishInput(TOPIC, forceDeletedFinding());
  return { Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm-1', Message: JSON.parse(input.Message).default, MessageAttributes: {} } }] };
}

/** Powertools writes its JSON lines to stdout: everything the function would put in CloudWatch Logs. */
async function captureStdout<T>(run: () => Promise<T>): Promise<{ result: T | Error; output: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const result = await run().catch((e: unknown) => e as Error);
    return { result, output: chunks.join('') };
  } finally {
    spy.mockRestore();
  }
}

test.each([
  [{}, 'invalid setting SLACK_WEBHOOK_SECRET_ARN: required by the Slack notifier (the secret that holds the webhook URL)'],
  [{ SLACK_WEBHOOK_SECRET_ARN: 'arn:aws:sns:eu-west-1:111122223333:x' }, /^invalid setting SLACK_WEBHOOK_SECRET_ARN: /],
  [{ SLACK_WEBHOOK_SECRET_ARN: ARN, SLACK_MIN_SEVERITY: 'LOUD' }, /^invalid setting SLACK_MIN_SEVERITY: /],
])('a bad setting fails the cold start, naming it: %j', (env, message) => {
  expect(() => createSlackHandler(env)).toThrow(message);
});

test('reads the webhook secret once per container and posts each alert; the URL is never logged', async () => {
  sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url: slack.url.href }) });
  const handler = createSlackHandler({ SLACK_WEBHOOK_SECRET_ARN: ARN, LOG_LEVEL: 'DEBUG' });
  const { result, output } = await captureStdout(async () => {
    await handler(event(), context);
    return handler(event(), context);
  });
  expect(result).toEqual({ posted: 1, skipped: 0, invalid: 0, rejected: 0 });
  expect(slack.requests).toHaveLength(2);
  expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
  expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
  expect(output).toContain('"message":"posted to Slack"');
  expect(output).not.toContain(WEBHOOK_TOKEN);
  expect(output).not.toContain(WEBHOOK_PATH);
});

test('Slack down for the whole budget: the invocation throws (Lambda retries, then dead-letters), naming no URL', async () => {
  sm.on(GetSecretValueCommand).resolves({ SecretString: slack.url.href });
  slack.reply({ status: 503, body: 'service_unavailable' });
  const handler = createSlackHandler({ SLACK_WEBHOOK_SECRET_ARN: ARN });
  const shortContext = { ...context, getRemainingTimeInMillis: () => 2_400 } as Context;
  const { result, output } = await captureStdout(() => handler(event(), shortContext));
  expect(result).toBeInstanceOf(Error);
  expect((result as Error).name).toBe('SlackDeliveryError');
  expect((result as Error).message).toMatch(/HTTP 503 service_unavailable/);
  for (const text of [output, (result as Error).message, (result as Error).stack ?? '']) expect(text).not.toContain(WEBHOOK_TOKEN);
});
