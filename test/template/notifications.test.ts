/**
 * Where alerts go besides the topic itself: the Slack notifier (only with slackWebhookSecretArn),
 * the email subscriptions' severity filter, the ops topic's subscriptions and the optional AWS
 * Chatbot channel, in the packaged templates of the three variants.
 */
import { severityRank } from '../../src/findings/severity';
import { PSEUDO, STAGE, VARIANTS, asArray, loadTemplate, referencedId, render, resource, resourcesOfType, type Template, type VariantName } from './packaging';

const SLACK_FN = 'SlackNotifierLambdaFunction';
const variants = Object.keys(VARIANTS) as VariantName[];

function slackVariants(): VariantName[] {
  return variants.filter((v) => Boolean((VARIANTS[v].params as Record<string, string>).slackWebhookSecretArn));
}

function subscriptions(t: Template, topic: string, protocol: string) {
  return resourcesOfType(t, 'AWS::SNS::Subscription').filter(([, s]) => referencedId(s.Properties?.TopicArn) === topic && s.Properties?.Protocol === protocol);
}

test('the variants cover a stack with and without the Slack notifier', () => {
  expect(slackVariants().length).toBeGreaterThan(0);
  expect(slackVariants()).not.toContain('defaults');
});

test('without slackWebhookSecretArn there is no Slack function, role, queue or subscription', () => {
  const t = loadTemplate('defaults');
  expect(Object.keys(t.Resources).filter((id) => /slack/i.test(id))).toEqual([]);
  expect(subscriptions(t, 'AlertTopic', 'lambda')).toEqual([]);
});

describe.each(slackVariants())('Slack notifier (%s)', (variant) => {
  const t = loadTemplate(variant);
  const params = VARIANTS[variant].params as Record<string, string>;
  const fn = resource(t, SLACK_FN);
  const minSeverity = (params.slackMinSeverity ?? 'MEDIUM').toUpperCase() as Parameters<typeof severityRank>[0];

  test('a function of its own, named slackNotifier, with the secret ARN and the threshold in its environment', () => {
    expect(fn.Properties?.FunctionName).toBe(`secretwatch-${STAGE}-slackNotifier`);
    expect(fn.Properties?.Handler).toBe('handlers/slackNotifier.handler');
    // METRIC_NAMESPACE: where its SlackRejected count goes (an embedded-metric log line).
    expect(fn.Properties?.Environment.Variables).toEqual({
      SLACK_WEBHOOK_SECRET_ARN: params.slackWebhookSecretArn,
      SLACK_MIN_SEVERITY: minSeverity,
      METRIC_NAMESPACE: expect.any(String),
      LOG_LEVEL: expect.any(String),
    });
    // In-function retries (429, 5xx) have room, bounded well below Lambda's limit.
    expect(fn.Properties?.Timeout).toBe(60);
  });

  test('subscribed to the alert topic with a filter policy on severityRank, dead-lettering what SNS cannot deliver', () => {
    const subs = subscriptions(t, 'AlertTopic', 'lambda');
    expect(subs).toHaveLength(1);
    const props = subs[0][1].Properties ?? {};
    expect(referencedId(props.Endpoint, 'Arn')).toBe(SLACK_FN);
    expect(props.FilterPolicyScope).toBe('MessageAttributes');
    const atLeast = [{ numeric: ['>=', severityRank(minSeverity)] }];
    // slackResolved: findings that closed too, which carry resolvedSeverityRank instead.
    expect(props.FilterPolicy).toEqual(params.slackResolved === 'true' ? { $or: [{ severityRank: atLeast }, { resolvedSeverityRank: atLeast }] } : { severityRank: atLeast });
    expect(referencedId(props.RedrivePolicy?.deadLetterTargetArn, 'Arn')).toBe('SlackFailureQueue');
  });

  test('failed invocations are retried twice, then go to the same encrypted queue', () => {
    const [[, config]] = resourcesOfType(t, 'AWS::Lambda::EventInvokeConfig').filter(([, c]) => referencedId(c.Properties?.FunctionName) === SLACK_FN);
    expect(config.Properties?.MaximumRetryAttempts).toBe(2);
    expect(referencedId(config.Properties?.DestinationConfig?.OnFailure?.Destination, 'Arn')).toBe('SlackFailureQueue');
    const queue = resource(t, 'SlackFailureQueue');
    expect(queue.Properties).toEqual({ QueueName: `secretwatch-${STAGE}-slack-failures`, MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true });
  });

  test('only the alert topic may send to that queue, over TLS', () => {
    const [[, policy]] = resourcesOfType(t, 'AWS::SQS::QueuePolicy').filter(([, p]) => referencedId(p.Properties?.Queues[0]) === 'SlackFailureQueue');
    const statements: any[] = policy.Properties?.PolicyDocument.Statement;
    const allow = statements.filter((s) => s.Effect === 'Allow');
    expect(allow).toEqual([
      {
        Sid: 'AlertTopicDeadLetters',
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': ['SlackFailureQueue', 'Arn'] },
        Condition: { ArnEquals: { 'aws:SourceArn': { Ref: 'AlertTopic' } } },
      },
    ]);
    expect(statements.find((s) => s.Sid === 'DenyInsecureTransport')?.Effect).toBe('Deny');
  });

  test("its role: its own logs, GetSecretValue on the webhook secret only, the failure queue, and the secret's key through Secrets Manager", () => {
    const role = resource(t, referencedId(fn.Properties?.Role, 'Arn') as string);
    expect(role.Properties?.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(role.Properties?.ManagedPolicyArns ?? []).toEqual([]);
    const statements: any[] = role.Properties?.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    const arn = params.slackWebhookSecretArn;
    const secretResources = /-[A-Za-z0-9]{6}$/.test(arn) ? [arn] : [arn, `${arn}-??????`];
    const expected: any[] = [
      { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: ['<SlackNotifierLogGroup.Arn>'] },
      { actions: ['secretsmanager:GetSecretValue'], resources: secretResources },
      { actions: ['sqs:SendMessage'], resources: ['<SlackFailureQueue.Arn>'] },
    ];
    if (params.slackWebhookSecretKmsKeyArn) expected.push({ actions: ['kms:Decrypt'], resources: [params.slackWebhookSecretKmsKeyArn] });
    const actual = statements.map((s) => {
      expect(s.Effect).toBe('Allow');
      return { actions: asArray(s.Action).sort(), resources: asArray(s.Resource).map(render) };
    });
    expect(actual).toEqual(expected);
    const kms = statements.find((s) => s.Action === 'kms:Decrypt');
    if (kms) expect(render(kms.Condition.StringEquals['kms:ViaService'])).toBe(`secretsmanager.${PSEUDO['AWS::Region']}.amazonaws.com`);
    // No other role in the stack may read a secret's value.
    for (const [id, r] of resourcesOfType(t, 'AWS::IAM::Role')) {
      if (r === role) continue;
      expect({ id, reads: JSON.stringify(r.Properties?.Policies ?? []).includes('GetSecretValue') }).toEqual({ id, reads: false });
    }
  });
});

describe.each(variants)('email subscriptions (%s)', (variant) => {
  const t = loadTemplate(variant);
  const params = VARIANTS[variant].params as Record<string, string>;
  const alertAddresses = (params.alertEmails ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const opsAddresses = (params.opsEmails ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const minSeverity = (params.emailMinSeverity ?? 'HIGH').toUpperCase() as Parameters<typeof severityRank>[0];

  test(`alert emails receive ${minSeverity} and above (filter policy on severityRank)`, () => {
    for (const [, s] of subscriptions(t, 'AlertTopic', 'email')) {
      expect(s.Properties?.FilterPolicyScope).toBe('MessageAttributes');
      expect(s.Properties?.FilterPolicy).toEqual({ severityRank: [{ numeric: ['>=', severityRank(minSeverity)] }] });
    }
  });

  test('the ops topic emails opsEmails, else the alert addresses, unfiltered', () => {
    const expected = opsAddresses.length ? opsAddresses : alertAddresses;
    const ops = subscriptions(t, 'OpsTopic', 'email');
    expect(ops.map(([, s]) => s.Properties?.Endpoint).sort()).toEqual([...expected].sort());
    for (const [id, s] of ops) {
      expect(id).toMatch(/^OpsEmailSubscription[0-9A-F]{12}$/);
      expect(s.Properties?.FilterPolicy).toBeUndefined();
    }
  });
});

describe('AWS Chatbot', () => {
  test('no channel unless both ids are given', () => {
    for (const variant of variants) {
      const params = VARIANTS[variant].params as Record<string, string>;
      const channels = resourcesOfType(loadTemplate(variant), 'AWS::Chatbot::SlackChannelConfiguration');
      expect(channels).toHaveLength(params.chatbotSlackWorkspaceId ? 1 : 0);
    }
  });

  test('the channel gets the alert topic (Chatbot-format messages) and the ops topic (alarms), with a read-only role', () => {
    const variant = variants.find((v) => (VARIANTS[v].params as Record<string, string>).chatbotSlackWorkspaceId) as VariantName;
    const t = loadTemplate(variant);
    const [[, channel]] = resourcesOfType(t, 'AWS::Chatbot::SlackChannelConfiguration');
    expect(channel.Properties).toMatchObject({ ConfigurationName: `secretwatch-${STAGE}`, SlackWorkspaceId: 'T0123ABCD', SlackChannelId: 'C0123ABCD', UserRoleRequired: false });
    expect(channel.Properties?.SnsTopicArns.map((a: unknown) => referencedId(a))).toEqual(['AlertTopic', 'OpsTopic']);
    expect(channel.Properties?.GuardrailPolicies.map(render)).toEqual(['arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess']);
    const role = resource(t, referencedId(channel.Properties?.IamRoleArn, 'Arn') as string);
    expect(role.Properties?.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'chatbot.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const actions = role.Properties?.Policies.flatMap((p: any) => p.PolicyDocument.Statement).flatMap((s: any) => asArray(s.Action));
    for (const action of actions) expect(action).toMatch(/^cloudwatch:(Describe|Get)/);
  });
});
