'use strict';

// Variable resolver for serverless.yml: the EventBridge bus that receives every finding, from the
// `findingsBusName` deploy parameter.
//   ''          (default) create AWS::Events::EventBus secretwatch-findings-<stage>
//   'default'   the account's default bus
//   any name    that existing bus in the same account and region
// Returns { name, arn, resources }: `name` for FINDINGS_BUS_NAME and the output, `arn` for the
// IAM statement (events:PutEvents on that bus only), `resources` merged into the template.

const { parameterError } = require('./errors');

const CREATED_LOGICAL_ID = 'FindingsBus';
// EventBridge's own constraint on a bus name; partner buses (aws.partner/...) cannot be put to.
const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;

function busArn(name) {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:event-bus/${name}` };
}

function findingsBus(value, stage) {
  const name = value == null ? '' : String(value).trim();
  if (name === '') {
    return {
      mode: 'created',
      // The bus's name, as its Ref gives it too; moto's CloudFormation resolves only the attribute
      // to the name (its Ref is the whole bus), and the deploy test runs against it.
      name: { 'Fn::GetAtt': [CREATED_LOGICAL_ID, 'Name'] },
      arn: { 'Fn::GetAtt': [CREATED_LOGICAL_ID, 'Arn'] },
      resources: {
        Resources: {
          [CREATED_LOGICAL_ID]: {
            Type: 'AWS::Events::EventBus',
            Properties: {
              Name: `secretwatch-findings-${stage}`,
              Description: 'SecretWatch compliance findings (source secretwatch)',
            },
          },
        },
      },
    };
  }
  if (name.startsWith('arn:') || !BUS_NAME.test(name)) {
    throw parameterError(
      `Invalid deploy parameter findingsBusName: "${name}" is not an event bus name (use a bus name in this account and region, "default", or leave it unset to create secretwatch-findings-${stage})`,
    );
  }
  return { mode: name === 'default' ? 'default' : 'existing', name, arn: busArn(name), resources: {} };
}

module.exports = async ({ resolveVariable }) => findingsBus(await resolveVariable('param:findingsBusName'), await resolveVariable('sls:stage'));
module.exports.findingsBus = findingsBus;
