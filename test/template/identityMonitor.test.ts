/**
 * identityMonitor in the packaged templates: only where IAM's events arrive (a us-east-1 stack, or
 * a central stack in any region), off by its parameter, and a role that may only read policies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STAGE, asArray, loadModeTemplate, loadRegionTemplate, loadTemplate, render, resourcesOfType, type Template } from './packaging';

/* eslint-disable @typescript-eslint/no-require-imports */
const { monitorDeployment } = require('../../serverless/monitors.js');
const { settingsEnvironment } = require('../../serverless/settings.js');
const { findingsBus } = require('../../serverless/findingsBus.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const FUNCTION = `secretwatch-${STAGE}-identityMonitor`;
const RULE = `secretwatch-${STAGE}-identity-policy-change`;

function identityFunction(t: Template) {
  return resourcesOfType(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties?.FunctionName === FUNCTION);
}

function identityRule(t: Template) {
  return resourcesOfType(t, 'AWS::Events::Rule').find(([, r]) => r.Properties?.Name === RULE);
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function statementsOf(t: Template, roleId: string): Statement[] {
  const role = t.Resources[roleId];
  return (role?.Properties?.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement);
}

describe('a us-east-1 stack', () => {
  const t = loadRegionTemplate('usEast1');

  test('has the function, with identityExemptPrincipals in its environment', () => {
    const found = identityFunction(t);
    expect(found).toBeDefined();
    expect(found?.[1].Properties?.Handler).toBe('handlers/identityMonitor.handler');
    expect(found?.[1].Properties?.Environment?.Variables).toMatchObject({ IDENTITY_EXEMPT_PRINCIPALS: 'arn:aws:iam::123456789012:role/break-glass*,arn:aws:iam::*:role/deploy' });
  });

  test('has the rule, with the pattern of rules/identity-policy-change.json, targeting the function', () => {
    const [, rule] = identityRule(t) ?? [];
    expect(rule?.Properties?.EventPattern).toEqual(JSON.parse(readFileSync(join(ROOT, 'rules', 'identity-policy-change.json'), 'utf8')));
    expect(rule?.Properties?.State).toBe('ENABLED');
    expect(render(rule?.Properties?.Targets[0].Arn)).toBe('<IdentityMonitorLambdaFunction.Arn>');
  });

  test('its role may read policies, and nothing else of IAM or of any secret', () => {
    const statements = statementsOf(t, 'IdentityMonitorRole');
    expect(statements.map((s) => s.Sid)).toEqual(['OwnLogGroup', 'ReadManagedPolicies', 'Metrics', 'Alerts', 'AlertTopicKey', 'Findings', 'FailureDestination', 'DeliveryLedger']);
    const read = statements[1];
    expect(asArray(read.Action).sort()).toEqual(['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListEntitiesForPolicy', 'iam:ListPolicyVersions']);
    expect(asArray(read.Resource as unknown[]).map(render)).toEqual([`arn:aws:iam::123456789012:policy/*`, 'arn:aws:iam::aws:policy/*']);
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions.filter((a) => a.startsWith('iam:') && !/^iam:(Get|List)/.test(a))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
  });

  test("no other role of the stack gets an IAM permission, but the inventory scan's read of the authorization details", () => {
    const others = resourcesOfType(t, 'AWS::IAM::Role')
      .filter(([id]) => id !== 'IdentityMonitorRole')
      .flatMap(([id]) => statementsOf(t, id).flatMap((s) => asArray(s.Action).map((a) => `${id} ${a}`)))
      .filter((a) => a.includes(' iam:'));
    expect(others).toEqual(['InventoryScanRole iam:GetAccountAuthorizationDetails']);
  });
});

describe('where it is not', () => {
  test.each([
    ['an eu-west-1 stack', () => loadTemplate('defaults')],
    ['a us-east-1 stack with identityMonitor=false', () => loadRegionTemplate('usEast1IdentityOff')],
  ])('%s has neither the function nor the rule nor its role', (_name, load) => {
    const t = load();
    expect(identityFunction(t)).toBeUndefined();
    expect(identityRule(t)).toBeUndefined();
    expect(t.Resources.IdentityMonitorRole).toBeUndefined();
  });
});

test('a central stack, whatever its region, has it: its rule on the central bus, fed by the us-east-1 member stacks', () => {
  const t = loadModeTemplate('central');
  expect(identityFunction(t)).toBeDefined();
  expect(identityRule(t)?.[1].Properties?.EventBusName).toEqual({ 'Fn::GetAtt': ['CentralBus', 'Name'] });
});

describe('the deployment by mode and region (serverless/monitors.js)', () => {
  const deploy = (region: string, mode: string, switches: Record<string, string> = {}) =>
    monitorDeployment({
      stage: STAGE,
      region,
      settings: settingsEnvironment({}),
      findingsBus: findingsBus('', STAGE),
      ruleRetryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 185 },
      mode,
      switches,
    });

  test.each([
    ['us-east-1', 'standalone', true],
    ['us-east-1', 'member', true],
    ['eu-west-1', 'member', false],
    ['eu-west-1', 'standalone', false],
    ['eu-west-1', 'central', true],
    ['ap-southeast-2', 'central', true],
  ])('%s, mode %s: %s', (region, mode, present) => {
    expect(Object.keys(deploy(region, mode).functions).includes('identityMonitor')).toBe(present);
  });

  test('identityMonitor=false turns it off in every mode', () => {
    for (const mode of ['standalone', 'member', 'central']) expect(Object.keys(deploy('us-east-1', mode, { identityMonitor: 'false' }).functions)).not.toContain('identityMonitor');
  });

  test('a value that is not true or false is refused, naming the parameter', () => {
    expect(() => deploy('us-east-1', 'standalone', { identityMonitor: 'maybe' })).toThrow(/Invalid deploy parameter identityMonitor: "maybe"/);
  });
});
