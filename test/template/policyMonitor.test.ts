/**
 * policyMonitor in the packaged template: its rule and environment, and the optional permissions
 * (remediatePublicPolicy, confirmWithAccessAnalyzer) that its role gets only when they are on.
 */
import { STAGE, asArray, loadTemplate, referencedId, render, resourcesOfType, type Template, type VariantName } from './packaging';

/* eslint-disable @typescript-eslint/no-require-imports */
const { monitorDeployment } = require('../../serverless/monitors.js');
const { settingsEnvironment } = require('../../serverless/settings.js');
const { findingsBus } = require('../../serverless/findingsBus.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRETS = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:*';

function policyMonitor(t: Template) {
  const found = resourcesOfType(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties?.FunctionName === `secretwatch-${STAGE}-policyMonitor`);
  if (!found) throw new Error('no policyMonitor function in the template');
  return found;
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/**
 * Every statement any role of the stack has, inline or attached, as "action resource"; except the
 * Slack notifier's role, whose one GetSecretValue (its webhook secret, by ARN) is the only one
 * allowed (the webhook URL is never in plain configuration) and is checked in
 * test/template/notifications.test.ts.
 */
function everyGrant(t: Template): string[] {
  const inline = resourcesOfType(t, 'AWS::IAM::Role')
    .filter(([id]) => id !== 'SlackNotifierRole')
    .flatMap(([, r]) => (r.Properties?.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement));
  const attached = resourcesOfType(t, 'AWS::IAM::RolePolicy').flatMap(([, p]) => p.Properties?.PolicyDocument.Statement as Statement[]);
  return [...inline, ...attached].flatMap((s) => asArray(s.Action).map((a) => `${a} ${render(s.Resource)}`));
}

describe.each([
  ['defaults', 'false', 'false'],
  ['oneEmail', 'false', 'false'],
  ['twoEmails', 'true', 'true'],
] as [VariantName, string, string][])('%s', (variant, remediate, confirm) => {
  const t = loadTemplate(variant);
  const [fnId, fn] = policyMonitor(t);

  test(`the settings reach the function: REMEDIATE_PUBLIC_POLICY=${remediate}, CONFIRM_WITH_ACCESS_ANALYZER=${confirm}`, () => {
    expect(fn.Properties?.Environment?.Variables).toMatchObject({ REMEDIATE_PUBLIC_POLICY: remediate, CONFIRM_WITH_ACCESS_ANALYZER: confirm });
  });

  test('no role of the stack may read a secret value, and only policyMonitor may touch resource policies, only when enabled', () => {
    const grants = everyGrant(t);
    expect(grants.filter((g) => /secretsmanager:(GetSecretValue|BatchGetSecretValue|\*)/.test(g))).toEqual([]);
    const policyGrants = grants.filter((g) => /ResourcePolicy|access-analyzer/.test(g)).sort();
    expect(policyGrants).toEqual(
      remediate === 'true'
        ? ['access-analyzer:CheckNoPublicAccess *', `secretsmanager:DeleteResourcePolicy ${SECRETS}`, `secretsmanager:GetResourcePolicy ${SECRETS}`, `secretsmanager:PutResourcePolicy ${SECRETS}`]
        : [],
    );
  });

  test("attached role policies are exactly the enabled optional ones, on policyMonitor's role", () => {
    const roleId = referencedId(fn.Properties?.Role, 'Arn');
    const attached = resourcesOfType(t, 'AWS::IAM::RolePolicy');
    expect(attached.map(([id]) => id).sort()).toEqual(remediate === 'true' ? ['PolicyMonitorAccessAnalyzerPolicy', 'PolicyMonitorRemediationPolicy'] : []);
    for (const [, p] of attached) expect(referencedId(p.Properties?.RoleName)).toBe(roleId);
    expect(fnId).toBe('PolicyMonitorLambdaFunction');
  });

  if (remediate === 'true') {
    test("remediation: read and delete on this account's secrets; write only with BlockPublicPolicy", () => {
      const statements = resourcesOfType(t, 'AWS::IAM::RolePolicy').find(([id]) => id === 'PolicyMonitorRemediationPolicy')?.[1].Properties?.PolicyDocument.Statement as Statement[];
      expect(statements.map((s) => ({ actions: asArray(s.Action).sort(), resource: render(s.Resource), condition: s.Condition }))).toEqual([
        { actions: ['secretsmanager:DeleteResourcePolicy', 'secretsmanager:GetResourcePolicy'], resource: SECRETS, condition: undefined },
        { actions: ['secretsmanager:PutResourcePolicy'], resource: SECRETS, condition: { Bool: { 'secretsmanager:BlockPublicPolicy': 'true' } } },
      ]);
    });

    test('Access Analyzer: CheckNoPublicAccess only, on "*" because the action has no resource type', () => {
      const statements = resourcesOfType(t, 'AWS::IAM::RolePolicy').find(([id]) => id === 'PolicyMonitorAccessAnalyzerPolicy')?.[1].Properties?.PolicyDocument.Statement as Statement[];
      expect(statements).toEqual([{ Sid: 'CheckNoPublicAccess', Effect: 'Allow', Action: 'access-analyzer:CheckNoPublicAccess', Resource: '*' }]);
    });
  }
});

describe("the follow-ups' permissions, from the monitors' deployment (serverless/monitors.js)", () => {
  const rolePolicies = (params: Record<string, string>) => {
    const { resources } = monitorDeployment({
      stage: STAGE,
      region: 'eu-west-1',
      settings: settingsEnvironment(params),
      findingsBus: findingsBus('', STAGE),
      ruleRetryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 185 },
    });
    return Object.entries(resources.Resources as Record<string, { Type: string; Properties: Record<string, any> }>)
      .filter(([, r]) => r.Type === 'AWS::IAM::RolePolicy')
      .map(([id, r]) => `${id} ${r.Properties.PolicyName} ${referencedId(r.Properties.RoleName)}`)
      .sort();
  };

  test.each([
    [{ remediatePublicPolicy: 'false', confirmWithAccessAnalyzer: 'false' }, []],
    [{ remediatePublicPolicy: 'true', confirmWithAccessAnalyzer: 'false' }, ['PolicyMonitorRemediationPolicy policyMonitor-remediatePublicPolicy PolicyMonitorRole']],
    [{ remediatePublicPolicy: 'false', confirmWithAccessAnalyzer: 'yes' }, ['PolicyMonitorAccessAnalyzerPolicy policyMonitor-confirmWithAccessAnalyzer PolicyMonitorRole']],
    [
      { remediatePublicPolicy: 'on', confirmWithAccessAnalyzer: 'true' },
      ['PolicyMonitorAccessAnalyzerPolicy policyMonitor-confirmWithAccessAnalyzer PolicyMonitorRole', 'PolicyMonitorRemediationPolicy policyMonitor-remediatePublicPolicy PolicyMonitorRole'],
    ],
    [{}, []],
  ])('%j -> %j', (params, policies) => {
    expect(rolePolicies(params)).toEqual(policies);
  });
});
