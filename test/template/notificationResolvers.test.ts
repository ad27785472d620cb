/**
 * The variable resolvers of the notification side (serverless/slack.js, chatbot.js,
 * emailSubscriptions.js) and the observability plugin, called directly: every parameter mistake
 * fails packaging with a message that names the parameter.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const slack = require('../../serverless/slack.js');
const chatbot = require('../../serverless/chatbot.js');
const emails = require('../../serverless/emailSubscriptions.js');
const Observability = require('../../serverless/observability.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const SETTINGS = { SLACK_WEBHOOK_SECRET_ARN: '', SLACK_MIN_SEVERITY: 'MEDIUM', LOG_LEVEL: 'INFO' };
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:secretwatch/slack-AbCdEf';

function refused(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('not refused');
}

describe('slackWebhookSecretArn', () => {
  test('empty: no function, no resources', () => {
    expect(slack.slackNotifier(SETTINGS, '', 'dev')).toEqual({ function: null, resources: {} });
  });

  test('set: the function and its subscription, role, queue and permission', () => {
    const out = slack.slackNotifier({ ...SETTINGS, SLACK_WEBHOOK_SECRET_ARN: ARN, SLACK_MIN_SEVERITY: 'LOW' }, '', 'dev');
    expect(out.function).toMatchObject({ handler: 'handlers/slackNotifier.handler', role: 'SlackNotifierRole', environment: { SLACK_WEBHOOK_SECRET_ARN: ARN, SLACK_MIN_SEVERITY: 'LOW' } });
    expect(Object.keys(out.resources.Resources).sort()).toEqual(['SlackAlertSubscription', 'SlackFailureQueue', 'SlackFailureQueuePolicy', 'SlackNotifierRole', 'SlackNotifierSnsPermission']);
    expect(out.resources.Resources.SlackAlertSubscription.Properties.FilterPolicy).toEqual({ severityRank: [{ numeric: ['>=', 2] }] });
    expect(out.resources.Outputs.SlackFailureQueueUrl.Value).toEqual({ Ref: 'SlackFailureQueue' });
  });

  test.each([
    ['CRITICAL', 5],
    ['HIGH', 4],
    ['MEDIUM', 3],
    ['LOW', 2],
    ['INFO', 1],
  ])('filter policy for %s: severityRank >= %i', (severity, rank) => {
    expect(slack.filterPolicy(severity)).toEqual({ severityRank: [{ numeric: ['>=', rank] }] });
    // slackResolved: closed findings too, by the severity they had (never on severityRank, which the emails filter on).
    expect(slack.filterPolicy(severity, true)).toEqual({ $or: [{ severityRank: [{ numeric: ['>=', rank] }] }, { resolvedSeverityRank: [{ numeric: ['>=', rank] }] }] });
  });

  test('a key for the secret without the secret is refused', () => {
    const error = refused(() => slack.slackNotifier(SETTINGS, 'arn:aws:kms:eu-west-1:123456789012:key/abc', 'dev'));
    expect(error.message).toBe('Invalid deploy parameter slackWebhookSecretKmsKeyArn: it is set but slackWebhookSecretArn is not (the key only serves the Slack notifier)');
    expect(error.stack).toBe(error.message);
  });

  test('a key that is not a KMS key ARN is refused', () => {
    expect(refused(() => slack.slackNotifier({ ...SETTINGS, SLACK_WEBHOOK_SECRET_ARN: ARN }, 'alias/mine', 'dev')).message).toMatch(
      /^Invalid deploy parameter slackWebhookSecretKmsKeyArn: "alias\/mine" is not a KMS key ARN/,
    );
  });
});

describe('chatbotSlackWorkspaceId / chatbotSlackChannelId', () => {
  test('neither: nothing', () => {
    expect(chatbot.chatbotChannel('', undefined, 'dev')).toEqual({});
  });

  test('both: a channel configuration and its role', () => {
    expect(Object.keys(chatbot.chatbotChannel('T0123ABCD', 'C0123ABCD', 'dev').Resources)).toEqual(['ChatbotChannelRole', 'ChatbotSlackChannel']);
  });

  test.each([
    ['T0123ABCD', '', /^Invalid deploy parameter chatbotSlackChannelId: AWS Chatbot needs both/],
    ['', 'C0123ABCD', /^Invalid deploy parameter chatbotSlackWorkspaceId: AWS Chatbot needs both/],
    ['my workspace', 'C0123ABCD', /^Invalid deploy parameter chatbotSlackWorkspaceId: "my workspace" is not a Slack workspace id/],
    ['T0123ABCD', '#secops', /^Invalid deploy parameter chatbotSlackChannelId: "#secops" is not a Slack channel id/],
  ])('%j / %j is refused', (workspace, channel, message) => {
    expect(refused(() => chatbot.chatbotChannel(workspace, channel, 'dev')).message).toMatch(message);
  });
});

describe('email subscriptions', () => {
  test('alert emails carry the severity filter; ops emails default to the alert addresses', () => {
    const { Resources } = emails.subscriptionResources(['a@example.com'], 'CRITICAL', []);
    const subs = Object.values(Resources) as { Properties: Record<string, unknown> }[];
    expect(subs.map((s) => [s.Properties.TopicArn, s.Properties.Endpoint, s.Properties.FilterPolicy])).toEqual([
      [{ Ref: 'AlertTopic' }, 'a@example.com', { severityRank: [{ numeric: ['>=', 5] }] }],
      [{ Ref: 'OpsTopic' }, 'a@example.com', undefined],
    ]);
  });

  test('opsEmails replaces them on the ops topic', () => {
    const { Resources } = emails.subscriptionResources(['a@example.com'], 'HIGH', ['ops@example.com']);
    expect(Object.entries(Resources).map(([id, s]: [string, any]) => [id.replace(/[0-9A-F]{12}$/, ''), s.Properties.Endpoint])).toEqual([
      ['AlertEmailSubscription', 'a@example.com'],
      ['OpsEmailSubscription', 'ops@example.com'],
    ]);
  });

  test('a bad opsEmails address names that parameter', () => {
    expect(refused(() => emails.parseAlertEmails('ops@', 'opsEmails')).message).toBe(
      'Invalid deploy parameter opsEmails: "ops@" is not an email address (expected e.g. --param "opsEmails=secops@example.com,oncall@example.com")',
    );
  });
});

describe('the observability plugin', () => {
  function run(resources: Record<string, unknown>) {
    const serverless = {
      getProvider: () => ({ getStage: () => 'dev', getRegion: () => 'eu-west-1' }),
      service: { provider: { compiledCloudFormationTemplate: { Resources: resources } } },
    };
    const plugin = new Observability(serverless);
    plugin.hooks['after:aws:package:finalize:mergeCustomProviderResources']();
    return serverless.service.provider.compiledCloudFormationTemplate.Resources as Record<string, { Type: string }>;
  }

  test('hooks in after the Framework merged `resources`, and adds the dashboard and alarms', () => {
    const out = run({ OpsTopic: { Type: 'AWS::SNS::Topic' } });
    expect(out.Dashboard.Type).toBe('AWS::CloudWatch::Dashboard');
    expect(out.CriticalFindingAlarm.Type).toBe('AWS::CloudWatch::Alarm');
  });

  test('a resource of the same logical id is never overwritten', () => {
    expect(() => run({ OpsTopic: { Type: 'AWS::SNS::Topic' }, Dashboard: { Type: 'AWS::CloudWatch::Dashboard' } })).toThrow('serverless/observability.js: Dashboard is already in the template');
  });

  test('a template the dashboard cannot name fails packaging with the reason', () => {
    expect(() => run({ OpsTopic: { Type: 'AWS::SNS::Topic' }, Q: { Type: 'AWS::SQS::Queue', Properties: {} } })).toThrow(/Q\.QueueName must be a literal name/);
  });
});
