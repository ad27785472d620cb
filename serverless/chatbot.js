'use strict';

// Variable resolver for serverless.yml: an optional AWS Chatbot (Amazon Q Developer in chat
// applications) Slack channel for teams that prefer it to the Slack notifier. It subscribes the
// channel to the alert topic (findings and digests carry Chatbot's custom-notification format under
// the `https` key of their SNS message) and to the ops topic (CloudWatch alarms, which Chatbot
// renders natively). Both parameters, or neither:
//   chatbotSlackWorkspaceId  the workspace (team) id, e.g. T0123ABCD; authorise the workspace once
//                            in the Chatbot console first
//   chatbotSlackChannelId    the channel id, e.g. C0123ABCD (invite @Amazon Q to private channels)

const { parameterError } = require('./errors');

const WORKSPACE_ID = /^[0-9A-Z]{1,255}$/;
const CHANNEL_ID = /^[A-Za-z0-9]{1,255}$/;

function text(value) {
  return value == null ? '' : String(value).trim();
}

function chatbotChannel(workspaceValue, channelValue, stage) {
  const workspace = text(workspaceValue);
  const channel = text(channelValue);
  if (!workspace && !channel) return {};
  if (!workspace || !channel) {
    const missing = workspace ? 'chatbotSlackChannelId' : 'chatbotSlackWorkspaceId';
    throw parameterError(`Invalid deploy parameter ${missing}: AWS Chatbot needs both chatbotSlackWorkspaceId and chatbotSlackChannelId, or neither`);
  }
  if (!WORKSPACE_ID.test(workspace)) throw parameterError(`Invalid deploy parameter chatbotSlackWorkspaceId: "${workspace}" is not a Slack workspace id (e.g. T0123ABCD, from the Chatbot console)`);
  if (!CHANNEL_ID.test(channel)) throw parameterError(`Invalid deploy parameter chatbotSlackChannelId: "${channel}" is not a Slack channel id (e.g. C0123ABCD, from the channel's details)`);

  return {
    Resources: {
      // What the channel may do: read the stack's alarms and graphs for the notifications, nothing else.
      ChatbotChannelRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Description: `SecretWatch ${stage} AWS Chatbot channel`,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: 'chatbot.amazonaws.com' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [
            {
              PolicyName: 'chatbotNotifications',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Sid: 'StackAlarms',
                    Effect: 'Allow',
                    Action: 'cloudwatch:DescribeAlarms',
                    Resource: { 'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:\${AWS::Region}:\${AWS::AccountId}:alarm:secretwatch-${stage}-*` },
                  },
                  // Graphs in alarm notifications; neither action has a resource type to scope it to.
                  { Sid: 'AlarmGraphs', Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'cloudwatch:GetMetricWidgetImage'], Resource: '*' },
                ],
              },
            },
          ],
        },
      },
      ChatbotSlackChannel: {
        Type: 'AWS::Chatbot::SlackChannelConfiguration',
        Properties: {
          ConfigurationName: `secretwatch-${stage}`,
          IamRoleArn: { 'Fn::GetAtt': ['ChatbotChannelRole', 'Arn'] },
          SlackWorkspaceId: workspace,
          SlackChannelId: channel,
          SnsTopicArns: [{ Ref: 'AlertTopic' }, { Ref: 'OpsTopic' }],
          // Channel members act through the channel role, further limited to reading CloudWatch.
          GuardrailPolicies: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/CloudWatchReadOnlyAccess' }],
          UserRoleRequired: false,
          LoggingLevel: 'ERROR',
        },
      },
    },
  };
}

module.exports = async ({ resolveVariable }) =>
  chatbotChannel(await resolveVariable('param:chatbotSlackWorkspaceId'), await resolveVariable('param:chatbotSlackChannelId'), await resolveVariable('sls:stage'));
module.exports.chatbotChannel = chatbotChannel;
