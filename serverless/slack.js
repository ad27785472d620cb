'use strict';

// Variable resolver for serverless.yml: the Slack notifier, only when the slackWebhookSecretArn
// deploy parameter names the secret that holds the incoming-webhook URL.
//   functions.slackNotifier: ${file(serverless/slack.js):function, null}   (null: no function)
//   resources:               ${file(serverless/slack.js):resources}
// The function is subscribed to the alert topic with a filter policy on severityRank (the
// slackMinSeverity parameter). Failed invocations (after Lambda's two retries) and messages SNS
// could not deliver go to an encrypted dead-letter queue. Its role may read that one secret.

const { parameterError } = require('./errors');
const { loadTypeScript } = require('./typescript');

const FUNCTION_LOGICAL_ID = 'SlackNotifierLambdaFunction';
const LOG_GROUP_LOGICAL_ID = 'SlackNotifierLogGroup';
const QUEUE_LOGICAL_ID = 'SlackFailureQueue';
const TOPIC_LOGICAL_ID = 'AlertTopic';
/** Retries (5xx, 429 Retry-After) happen inside the invocation: room for a few, not for a storm. */
const TIMEOUT_SECONDS = 60;
// A secret ARN ends in "-" and six characters that Secrets Manager adds; a partial ARN (the name
// only) must be matched with the wildcard IAM documents for it.
const FULL_SECRET_ARN = /:secret:.+-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

function severityRank(severity) {
  return loadTypeScript('src/findings/severity.ts').severityRank(severity);
}

/**
 * SNS compares message attributes: severityRank is a Number attribute of every alert; a finding
 * that closed carries resolvedSeverityRank instead (so that the emails, which filter on
 * severityRank, never get it), admitted only with slackResolved.
 */
function filterPolicy(minSeverity, resolved = false) {
  const atLeast = [{ numeric: ['>=', severityRank(minSeverity)] }];
  return resolved ? { $or: [{ severityRank: atLeast }, { resolvedSeverityRank: atLeast }] } : { severityRank: atLeast };
}

function secretResources(secretArn) {
  return FULL_SECRET_ARN.test(secretArn) ? [secretArn] : [secretArn, `${secretArn}-??????`];
}

/**
 * settings: the validated environment of serverless/settings.js (SLACK_WEBHOOK_SECRET_ARN,
 * SLACK_MIN_SEVERITY, LOG_LEVEL); kmsKeyArn: the slackWebhookSecretKmsKeyArn parameter; stage:
 * the stage, for literal resource names (the dashboard and alarms name them).
 */
function slackNotifier(settings, kmsKeyArn, stage) {
  const secretArn = settings.SLACK_WEBHOOK_SECRET_ARN ?? '';
  const keyArn = kmsKeyArn == null ? '' : String(kmsKeyArn).trim();
  if (!secretArn) {
    if (keyArn) throw parameterError('Invalid deploy parameter slackWebhookSecretKmsKeyArn: it is set but slackWebhookSecretArn is not (the key only serves the Slack notifier)');
    return { function: null, resources: {} };
  }
  if (keyArn && !KMS_KEY_ARN.test(keyArn)) {
    throw parameterError(`Invalid deploy parameter slackWebhookSecretKmsKeyArn: "${keyArn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
  }

  const fn = {
    handler: 'handlers/slackNotifier.handler',
    description: 'SecretWatch: posts alert-topic findings and scan digests to Slack',
    role: 'SlackNotifierRole',
    timeout: TIMEOUT_SECONDS,
    environment: {
      SLACK_WEBHOOK_SECRET_ARN: secretArn,
      SLACK_MIN_SEVERITY: settings.SLACK_MIN_SEVERITY,
      // The namespace of its SlackRejected count (an embedded-metric log line: no permission needed).
      METRIC_NAMESPACE: settings.METRIC_NAMESPACE,
      LOG_LEVEL: settings.LOG_LEVEL,
    },
    // SNS invokes asynchronously: a post that failed is retried twice by Lambda, then dead-lettered.
    maximumRetryAttempts: 2,
    maximumEventAge: 21600,
    destinations: { onFailure: { type: 'sqs', arn: { 'Fn::GetAtt': [QUEUE_LOGICAL_ID, 'Arn'] } } },
  };

  const statements = [
    { Sid: 'OwnLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [LOG_GROUP_LOGICAL_ID, 'Arn'] } },
    // The project's only GetSecretValue: the webhook URL, in the one secret named by the parameter.
    { Sid: 'WebhookSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secretResources(secretArn) },
    // Lambda's on-failure destination sends with the function's role.
    { Sid: 'FailureDestination', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [QUEUE_LOGICAL_ID, 'Arn'] } },
  ];
  if (keyArn) {
    statements.push({
      Sid: 'WebhookSecretKey',
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: keyArn,
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'secretsmanager.${AWS::Region}.amazonaws.com' } } },
    });
  }

  const Resources = {
    SlackNotifierRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `SecretWatch ${stage} slackNotifier`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [{ PolicyName: 'slackNotifier', PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
      },
    },
    // Failed posts (Lambda's failure records) and messages SNS could not hand to the function.
    [QUEUE_LOGICAL_ID]: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: `secretwatch-${stage}-slack-failures`, MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
    },
    SlackFailureQueuePolicy: {
      Type: 'AWS::SQS::QueuePolicy',
      Properties: {
        Queues: [{ Ref: QUEUE_LOGICAL_ID }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AlertTopicDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': [QUEUE_LOGICAL_ID, 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: TOPIC_LOGICAL_ID } } },
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': [QUEUE_LOGICAL_ID, 'Arn'] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        },
      },
    },
    SlackAlertSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: TOPIC_LOGICAL_ID },
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [FUNCTION_LOGICAL_ID, 'Arn'] },
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: filterPolicy(settings.SLACK_MIN_SEVERITY, settings.SLACK_RESOLVED === 'true'),
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [QUEUE_LOGICAL_ID, 'Arn'] } },
      },
    },
    SlackNotifierSnsPermission: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [FUNCTION_LOGICAL_ID, 'Arn'] },
        Principal: 'sns.amazonaws.com',
        SourceArn: { Ref: TOPIC_LOGICAL_ID },
      },
    },
  };
  const Outputs = {
    SlackFailureQueueUrl: { Description: 'Slack messages not posted after the retries (and alerts SNS could not hand to the Slack notifier)', Value: { Ref: QUEUE_LOGICAL_ID } },
  };
  return { function: fn, resources: { Resources, Outputs } };
}

module.exports = async ({ resolveVariable }) =>
  slackNotifier(await resolveVariable('self:custom.settings'), await resolveVariable('param:slackWebhookSecretKmsKeyArn'), await resolveVariable('sls:stage'));
module.exports.slackNotifier = slackNotifier;
module.exports.filterPolicy = filterPolicy;
