/**
 * The packaged slackNotifier zip, as Lambda runs it: unzipped, its handler loaded by a fresh node
 * process with the template's environment, the webhook URL read from a secret in moto_server, the
 * messages posted to a real HTTP server on 127.0.0.1. The SNS side is moto's too: the alert goes
 * through a topic with the filter policy the stack puts on the Slack subscription, and the message
 * the function receives is what SNS delivered.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { publishInput } from '../../src/delivery/sns';
import type { Finding } from '../../src/findings/finding';
import { slackFindingMessage } from '../../src/findings/slack';
import { FakeSlack, WEBHOOK_PATH, WEBHOOK_TOKEN } from '../helpers/slackServer';
import { forceDeletedFinding } from '../helpers/findings';
import { extractZip, loadTemplateFrom, runPackage, type Resource } from '../template/packaging';
import { describeWithMoto, receiveMessages } from './motoServer';
import { invokePackaged, lambdaEnvironment } from './lambdaProcess';

jest.setTimeout(120_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { filterPolicy } = require('../../serverless/slack.js') as { filterPolicy(min: string): Record<string, unknown> };

interface Invocation {
  result: Record<string, unknown> | null;
  error: string | null;
  output: string;
}

describeWithMoto('packaged slackNotifier zip against moto_server and a local webhook', (moto) => {
  const work = mkdtempSync(join(tmpdir(), 'secretwatch-slack-'));
  const slack = new FakeSlack();
  let fn: Resource;
  let moduleFile: string;
  let secretArn: string;
  let sns: SNSClient;
  let sqs: SQSClient;
  let secrets: SecretsManagerClient;
  let topicArn: string;
  let deliveredQueueUrl: string;

  beforeAll(async () => {
    await slack.start();
    const out = join(work, 'package');
    const packaged = runPackage({ slackWebhookSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:secretwatch/slack-webhook' }, out);
    if (packaged.status !== 0) throw new Error(`serverless package failed:\n${packaged.output}`);
    const template = loadTemplateFrom(out);
    fn = template.Resources.SlackNotifierLambdaFunction;
    const root = join(work, 'slackNotifier');
    extractZip(join(out, 'slackNotifier.zip'), root);
    const handler = String(fn.Properties?.Handler);
    moduleFile = join(root, `${handler.slice(0, handler.lastIndexOf('.'))}.js`);

    const config = moto.clientConfig();
    sns = new SNSClient(config);
    sqs = new SQSClient(config);
    secrets = new SecretsManagerClient(config);
    secretArn = (await secrets.send(new CreateSecretCommand({ Name: 'secretwatch/slack-webhook', SecretString: JSON.stringify({ url: slack.url.href }) }))).ARN!;
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'secretwatch-ci-alerts' }))).TopicArn!;
    // Stands in for the Lambda subscription: same filter policy (the stack's default, MEDIUM), and
    // SQS receives the same `default` message of the JSON structure that Lambda would.
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'slack-subscription' }));
    deliveredQueueUrl = QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes!.QueueArn!,
        Attributes: { FilterPolicyScope: 'MessageAttributes', FilterPolicy: JSON.stringify(filterPolicy(String(fn.Properties?.Environment?.Variables?.SLACK_MIN_SEVERITY))) },
      }),
    );
  });

  afterAll(async () => {
    for (const client of [sns, sqs, secrets]) client?.destroy();
    await slack.stop();
    rmSync(work, { recursive: true, force: true });
  });

  beforeEach(() => {
    slack.requests.length = 0;
    slack.reply({ status: 200, body: 'ok' });
  });

  /** One cold start and one invocation in a fresh node process; asynchronous, so that the webhook server here can answer. */
  async function invoke(event: unknown, env: Record<string, string> = {}): Promise<Invocation> {
    const vars = { ...(fn.Properties?.Environment?.Variables ?? {}), SLACK_WEBHOOK_SECRET_ARN: secretArn, ...env } as Record<string, string>;
    const run = await invokePackaged({ moduleFile, functionName: 'secretwatch-ci-slackNotifier' }, event, lambdaEnvironment(moto.endpoint, 'secretwatch-ci-slackNotifier', vars), 20_000);
    return { result: run.result, error: run.error, output: run.stdout + run.stderr };
  }

  /** Publishes as the monitors do, and returns what SNS delivered through the filter policy, as Lambda's SNS event. */
  async function throughTopic(findings: Finding[], expected: number) {
    for (const f of findings) await sns.send(new PublishCommand(publishInput(topicArn, f)));
    const delivered = await receiveMessages(sqs, deliveredQueueUrl, { expect: expected, settleSeconds: 1 });
    return {
      Records: delivered.map((m) => {
        const envelope = JSON.parse(m.Body!) as { MessageId: string; Message: string; MessageAttributes: Record<string, unknown> };
        return { EventSource: 'aws:sns', Sns: { MessageId: envelope.MessageId, Message: envelope.Message, MessageAttributes: envelope.MessageAttributes } };
      }),
    };
  }

  test('the subscription filter lets MEDIUM and above through; the function posts each as its Block Kit message', async () => {
    const finding = forceDeletedFinding();
    const event = await throughTopic([{ ...finding, severity: 'LOW' }, finding], 1);
    expect(event.Records).toHaveLength(1);
    const { result, error, output } = await invoke(event);
    expect(error).toBeNull();
    expect(result).toEqual({ posted: 1, skipped: 0, invalid: 0, rejected: 0 });
    expect(slack.payloads()).toEqual([JSON.parse(JSON.stringify(slackFindingMessage(finding)))]);
    // Structured logs, and no trace of the webhook URL in them.
    expect(output).toContain('"message":"posted to Slack"');
    expect(output).not.toContain(WEBHOOK_TOKEN);
    expect(output).not.toContain(WEBHOOK_PATH);
  });

  test('Slack keeps failing (5xx): the invocation fails (to be retried and dead-lettered) and names no URL', async () => {
    slack.reply({ status: 503, body: 'service_unavailable' });
    const event = await throughTopic([forceDeletedFinding()], 1);
    const { result, error, output } = await invoke(event);
    expect(result).toBeNull();
    expect(error).toMatch(
      /^SlackDeliveryError: 1 of 1 message\(s\) not posted to Slack \(Slack did not take the message after \d attempt\(s\) \(HTTP 503 service_unavailable\); the message will be retried\); the invocation will be retried$/,
    );
    expect(output).not.toContain(WEBHOOK_TOKEN);
  });

  test('Slack refuses the webhook for good (404): not retried, logged, counted in SlackRejected as an embedded metric', async () => {
    slack.reply({ status: 404, body: 'channel_not_found' });
    const event = await throughTopic([forceDeletedFinding()], 1);
    const { result, error, output } = await invoke(event);
    expect(error).toBeNull();
    expect(result).toEqual({ posted: 0, skipped: 0, invalid: 0, rejected: 1 });
    const line = output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'Slack refused the message for good: not retried');
    expect(line).toMatchObject({
      status: 404,
      slackError: 'channel_not_found',
      SlackRejected: 1,
      _aws: { CloudWatchMetrics: [{ Namespace: 'SecretWatch', Metrics: [{ Name: 'SlackRejected', Unit: 'Count' }] }] },
    });
    expect(output).not.toContain(WEBHOOK_TOKEN);
  });

  test('the webhook secret does not exist: the invocation fails, naming the secret, and nothing is posted', async () => {
    const event = await throughTopic([forceDeletedFinding()], 1);
    const missing = secretArn.replace('slack-webhook', 'no-such-secret');
    const { error } = await invoke(event, { SLACK_WEBHOOK_SECRET_ARN: missing });
    expect(error).toMatch(/^SlackDeliveryError: 1 of 1 message\(s\) not posted to Slack \(could not read the webhook secret .*no-such-secret.*ResourceNotFoundException/);
    expect(slack.requests).toHaveLength(0);
  });

  test('a malformed record is dropped without a retry', async () => {
    const { result, error } = await invoke({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'm', Message: 'not json' } }] });
    expect(error).toBeNull();
    expect(result).toEqual({ posted: 0, skipped: 0, invalid: 1, rejected: 0 });
  });
});
