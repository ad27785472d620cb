/**
 * The deployment built from the monitor declarations (serverless/monitors.js), called directly with
 * declarations of the tests' own, and serverless.yml, which keeps no function, role or rule of its
 * own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitors, type MonitorDeclaration } from '../../src/monitors';
import { rulesOf } from '../../src/monitors/rules';
import { ROOT, STAGE } from './packaging';

/* eslint-disable @typescript-eslint/no-require-imports */
const { monitorDeployment, loadSource } = require('../../serverless/monitors.js');
const { settingsEnvironment } = require('../../serverless/settings.js');
const { findingsBus } = require('../../serverless/findingsBus.js');
/* eslint-enable @typescript-eslint/no-require-imports */

interface Deployment {
  functions: Record<string, Record<string, any>>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
  ruleArns: unknown[];
}

function deploy(region: string, declarations: readonly MonitorDeclaration[] = monitors, params: Record<string, string> = {}): Deployment {
  return monitorDeployment(
    { stage: STAGE, region, settings: settingsEnvironment(params), findingsBus: findingsBus('', STAGE), ruleRetryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 185 } },
    { ...loadSource(), monitors: declarations },
  );
}

/** A monitor of the tests' own, deployed in us-east-1 only (as a monitor of IAM's global events would be). */
const regional: MonitorDeclaration = {
  name: 'globalEventsMonitor',
  description: 'SecretWatch test monitor of global events',
  handler: 'handlers/deletionMonitor.handler',
  regions: ['us-east-1'],
  permissions: [{ Sid: 'ReadPolicies', Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'], Resource: '*' }],
  settings: ['trustedAccounts'],
};

describe('a monitor deployed in some regions only', () => {
  test('is absent from a stack in any other region: no function, role, rule or dead-letter grant', () => {
    const eu = deploy('eu-west-1', [...monitors, regional]);
    expect(Object.keys(eu.functions)).not.toContain('globalEventsMonitor');
    expect(eu.resources.Resources.GlobalEventsMonitorRole).toBeUndefined();
    expect(JSON.stringify(eu)).not.toContain('globalEventsMonitor');
    // The rest is what the real monitors alone give.
    expect(eu).toEqual(deploy('eu-west-1'));
  });

  test('is there, with its role, in a region it lists', () => {
    const us = deploy('us-east-1', [...monitors, regional]);
    const fn = us.functions.globalEventsMonitor;
    expect(fn).toMatchObject({ handler: 'handlers/deletionMonitor.handler', role: 'GlobalEventsMonitorRole', maximumRetryAttempts: 2, maximumEventAge: 21600 });
    expect(fn.environment).toMatchObject({ TRUSTED_ACCOUNTS: '', LOG_LEVEL: 'INFO' });
    const statements = us.resources.Resources.GlobalEventsMonitorRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(['OwnLogGroup', 'ReadPolicies', 'Metrics', 'Alerts', 'AlertTopicKey', 'Findings', 'FailureDestination', 'DeliveryLedger']);
    expect(statements[1]).toEqual({ Sid: 'ReadPolicies', Effect: 'Allow', Action: ['iam:GetPolicy', 'iam:GetPolicyVersion'], Resource: '*' });
  });
});

describe('the real monitors', () => {
  const stack = deploy('eu-west-1');

  test('one function each, with a role of its own named after it', () => {
    expect(Object.keys(stack.functions).sort()).toEqual(
      monitors
        .filter((m) => (!m.regions || m.regions.includes('eu-west-1')) && !m.centralScanOnly)
        .map((m) => m.name)
        .sort(),
    );
    for (const [name, fn] of Object.entries(stack.functions)) {
      const role = `${name[0].toUpperCase()}${name.slice(1)}Role`;
      expect(fn.role).toBe(role);
      expect(stack.resources.Resources[role].Type).toBe('AWS::IAM::Role');
    }
  });

  test('every rule gets a dead-letter grant, once; ENABLED rules are function events, the others raw rules', () => {
    const here = monitors.filter((m) => !m.regions || m.regions.includes('eu-west-1'));
    const monitorRules = here.flatMap((m) => rulesOf(m));
    const schedules = here.filter((m) => m.schedule);
    expect(stack.ruleArns).toHaveLength(monitorRules.length + schedules.length);
    expect(new Set(stack.ruleArns.map((a) => JSON.stringify(a))).size).toBe(stack.ruleArns.length);
    for (const rule of monitorRules) {
      const events = stack.functions[rule.monitor].events.filter((e: any) => e.eventBridge?.name === `secretwatch-${STAGE}-${rule.name}`);
      const raw = Object.values(stack.resources.Resources).filter((r) => r.Type === 'AWS::Events::Rule' && r.Properties.Name === `secretwatch-${STAGE}-${rule.name}`);
      expect({ rule: rule.name, events: events.length, raw: raw.length }).toEqual({ rule: rule.name, events: rule.allManagementEvents ? 0 : 1, raw: rule.allManagementEvents ? 1 : 0 });
    }
  });

  test("the central scan's workers only in a stack that scans member accounts, then with the central handler of the inventory scan", () => {
    const central = monitorDeployment(
      {
        stage: STAGE,
        region: 'eu-west-1',
        settings: settingsEnvironment({}),
        findingsBus: findingsBus('', STAGE),
        ruleRetryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 185 },
        centralScan: true,
      },
      loadSource(),
    ) as Deployment;
    expect(stack.functions.scanWorker).toBeUndefined();
    expect(stack.functions.inventoryScan.handler).toBe('handlers/inventoryScan.handler');
    expect(central.functions.inventoryScan.handler).toBe('handlers/centralInventoryScan.handler');
    expect(central.functions.scanWorker).toMatchObject({ handler: 'handlers/scanWorker.handler', role: 'ScanWorkerRole', reservedConcurrency: 22 });
    // Invoked by its queues, which retry and dead-letter: no asynchronous retries or destination of its own.
    expect(central.functions.scanWorker.destinations).toBeUndefined();
    const statements = central.resources.Resources.ScanWorkerRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual(['OwnLogGroup', 'ReceiveOwnQueues']);
  });

  test('a monitor reading a setting that no deploy parameter sets is refused, naming both', () => {
    const odd: MonitorDeclaration = { name: 'oddMonitor', description: 'x', handler: 'handlers/deletionMonitor.handler', settings: ['scanRegions'] };
    expect(() => deploy('eu-west-1', [odd])).toThrow(/oddMonitor reads the setting scanRegions/);
  });
});

describe('serverless.yml', () => {
  const text = readFileSync(join(ROOT, 'serverless.yml'), 'utf8');

  test('stays short: at most 400 lines', () => {
    expect(text.split('\n').length).toBeLessThanOrEqual(400);
  });

  test('writes no role, function, rule or alarm by hand: they come from the declarations and src/dashboard', () => {
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::RolePolicy', 'AWS::Events::Rule', 'AWS::Lambda::Permission', 'AWS::CloudWatch::Alarm']) expect(text).not.toContain(type);
    expect(text).not.toMatch(/^\s+handler:/m);
    expect(text).not.toMatch(/rules\/[a-z-]+\.json/);
  });
});
