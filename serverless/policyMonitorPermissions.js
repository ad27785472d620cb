'use strict';

// Variable resolver for serverless.yml: the permissions policyMonitor needs only when an optional
// setting is on, as AWS::IAM::RolePolicy resources on its role. With both settings off (the
// default) there is none, and the role can read and change no secret and call no other service.
//   remediatePublicPolicy       read, rewrite (only with BlockPublicPolicy) or delete a secret's
//                               resource policy, on the secrets of this account and region
//   confirmWithAccessAnalyzer   access-analyzer:CheckNoPublicAccess, an action with no resource
//                               type: "*" is its only possible scope

const ROLE = 'PolicyMonitorRole';
const SECRETS = { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*' };

function rolePolicy(name, statements) {
  return {
    Type: 'AWS::IAM::RolePolicy',
    Properties: { RoleName: { Ref: ROLE }, PolicyName: name, PolicyDocument: { Version: '2012-10-17', Statement: statements } },
  };
}

/** settings: the validated environment of serverless/settings.js ("true" / "false" strings). */
function policyMonitorPermissions(settings) {
  const Resources = {};
  if (settings.REMEDIATE_PUBLIC_POLICY === 'true') {
    Resources.PolicyMonitorRemediationPolicy = rolePolicy('policyMonitor-remediatePublicPolicy', [
      { Sid: 'ReadOrRemovePolicy', Effect: 'Allow', Action: ['secretsmanager:GetResourcePolicy', 'secretsmanager:DeleteResourcePolicy'], Resource: SECRETS },
      // The function can only write a policy that Secrets Manager itself checks is not public.
      {
        Sid: 'RewritePolicyBlockingPublicAccess',
        Effect: 'Allow',
        Action: 'secretsmanager:PutResourcePolicy',
        Resource: SECRETS,
        Condition: { Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } },
      },
    ]);
  }
  if (settings.CONFIRM_WITH_ACCESS_ANALYZER === 'true') {
    Resources.PolicyMonitorAccessAnalyzerPolicy = rolePolicy('policyMonitor-confirmWithAccessAnalyzer', [
      { Sid: 'CheckNoPublicAccess', Effect: 'Allow', Action: 'access-analyzer:CheckNoPublicAccess', Resource: '*' },
    ]);
  }
  return { Resources };
}

module.exports = async ({ resolveVariable }) => policyMonitorPermissions(await resolveVariable('self:custom.settings'));
module.exports.policyMonitorPermissions = policyMonitorPermissions;
