/**
 * The deployment modes of serverless/organization.js: standalone (the default), central and member
 * (docs/organization.md), on the packaged templates and on the plugin's functions directly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CENTRAL_BUS_ARN,
  ORGANIZATION_ID,
  SCAN_ACCOUNTS,
  asArray,
  failedRun,
  loadModeTemplate,
  modePackageDir,
  loadTemplate,
  referencedId,
  render,
  resource,
  resourcesOfType,
  type Resource,
  type Template,
} from './packaging';

/* eslint-disable @typescript-eslint/no-require-imports */
const organization = require('../../serverless/organization.js');
/* eslint-enable @typescript-eslint/no-require-imports */

function patternRules(template: Template): [string, Resource][] {
  return resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.EventPattern != null);
}

function statementsOf(role: Resource): Record<string, any>[] {
  return asArray(role.Properties?.Policies).flatMap((p: any) => asArray(p.PolicyDocument.Statement));
}

function actionsOf(role: Resource): string[] {
  return statementsOf(role).flatMap((s) => asArray(s.Action) as string[]);
}

describe('organizationSettings', () => {
  test.each([
    [{}, { mode: 'standalone' }],
    [{ mode: '', organizationId: '', centralBusArn: '' }, { mode: 'standalone' }],
    [
      { mode: ' Central ', organizationId: 'o-a1b2c3d4e5' },
      { mode: 'central', organizationId: 'o-a1b2c3d4e5' },
    ],
    [
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: ' 222233334444, 333344445555,222233334444 ' },
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: ['222233334444', '333344445555'] },
    ],
    [
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanOrganization: 'True', scanAccounts: '' },
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanOrganization: true },
    ],
    [
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanOrganization: 'false' },
      { mode: 'central', organizationId: 'o-a1b2c3d4e5' },
    ],
    [{ mode: 'standalone', scanOrganization: 'off' }, { mode: 'standalone' }],
    [
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: '222233334444', scanRegions: ' eu-west-1, us-east-1,eu-west-1' },
      { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: ['222233334444'], scanRegions: ['eu-west-1', 'us-east-1'] },
    ],
    [
      { mode: 'member', centralBusArn: CENTRAL_BUS_ARN },
      { mode: 'member', centralBus: { arn: CENTRAL_BUS_ARN, partition: 'aws', region: 'eu-west-1', account: '999999999999', name: 'secretwatch-central-dev' } },
    ],
  ])('%j -> %j', (raw, expected) => {
    expect(organization.organizationSettings(raw)).toEqual(expected);
  });

  test.each([
    [{ mode: 'satellite' }, /^Invalid deploy parameter mode: "satellite" \(expected one of standalone, central, member\)/],
    [{ mode: 'central' }, /^Invalid deploy parameter organizationId: "" is not an organization id/],
    [{ mode: 'central', organizationId: 'o-short' }, /^Invalid deploy parameter organizationId: "o-short"/],
    [{ mode: 'central', organizationId: 'O-A1B2C3D4E5' }, /^Invalid deploy parameter organizationId/],
    [{ mode: 'standalone', organizationId: 'o-a1b2c3d4e5' }, /^Invalid deploy parameter organizationId: only mode central uses it \(mode is standalone\)/],
    [{ mode: 'member' }, /^Invalid deploy parameter centralBusArn: "" is not an event bus ARN/],
    [{ mode: 'member', centralBusArn: 'secretwatch-central-dev' }, /^Invalid deploy parameter centralBusArn: "secretwatch-central-dev"/],
    [{ mode: 'member', centralBusArn: 'arn:aws:events:eu-west-1:99999999999:event-bus/x' }, /^Invalid deploy parameter centralBusArn/],
    [{ mode: 'member', centralBusArn: 'arn:aws:sqs:eu-west-1:999999999999:x' }, /^Invalid deploy parameter centralBusArn/],
    [{ mode: 'central', organizationId: 'o-a1b2c3d4e5', centralBusArn: CENTRAL_BUS_ARN }, /^Invalid deploy parameter centralBusArn: only mode member uses it \(mode is central\)/],
    [{ mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: '222233334444,12345' }, /^Invalid deploy parameter scanAccounts: "12345" is not a 12-digit account id/],
    [{ mode: 'member', centralBusArn: CENTRAL_BUS_ARN, scanAccounts: '222233334444' }, /^Invalid deploy parameter scanAccounts: only mode central uses it \(mode is member\)/],
    [{ mode: 'standalone', scanAccounts: '222233334444' }, /^Invalid deploy parameter scanAccounts: only mode central uses it \(mode is standalone\)/],
    [{ mode: 'central', organizationId: 'o-a1b2c3d4e5', scanOrganization: 'everything' }, /^Invalid deploy parameter scanOrganization: "everything" \(expected true or false\)/],
    [{ mode: 'member', centralBusArn: CENTRAL_BUS_ARN, scanOrganization: 'true' }, /^Invalid deploy parameter scanOrganization: only mode central uses it \(mode is member\)/],
    [{ mode: 'central', organizationId: 'o-a1b2c3d4e5', scanOrganization: 'yes', scanAccounts: '222233334444' }, /^Invalid deploy parameter scanOrganization: not with scanAccounts/],
    [{ mode: 'central', organizationId: 'o-a1b2c3d4e5', scanRegions: 'eu-west-1,Frankfurt' }, /^Invalid deploy parameter scanRegions: "Frankfurt" is not a region name/],
    [{ mode: 'member', centralBusArn: CENTRAL_BUS_ARN, scanRegions: 'eu-west-1' }, /^Invalid deploy parameter scanRegions: only mode central uses it \(mode is member\)/],
  ])('%j is refused naming the parameter', (raw, message) => {
    expect(() => organization.organizationSettings(raw)).toThrow(message);
  });

  test('standalone leaves the template as compiled', () => {
    const template = { Resources: { R: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: ['x'] }, Targets: [] } } }, Outputs: {} };
    const copy = JSON.parse(JSON.stringify(template));
    organization.applyMode(template, { mode: 'standalone' }, { stage: 'dev' });
    expect(template).toEqual(copy);
  });
});

describe('a mode or its parameters wrong: packaging fails naming the parameter', () => {
  test.each([
    ['memberWithoutBus', /Invalid deploy parameter centralBusArn: "" is not an event bus ARN/],
    ['centralWithMemberParam', /Invalid deploy parameter centralBusArn: only mode member uses it/],
    ['unknownMode', /Invalid deploy parameter mode: "satellite"/],
    ['organizationAndList', /Invalid deploy parameter scanOrganization: not with scanAccounts/],
  ] as const)('%s', (name, message) => {
    const run = failedRun(name);
    expect(run.status).not.toBe(0);
    expect(run.output).toMatch(message);
  });
});

describe('standalone (the default)', () => {
  const template = loadTemplate('defaults');

  test('has no central bus, no bus policy and no cross-account role', () => {
    expect(resourcesOfType(template, 'AWS::Events::EventBusPolicy')).toEqual([]);
    expect(template.Resources.CentralBus).toBeUndefined();
    for (const [, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
      expect(render(role.Properties?.AssumeRolePolicyDocument)).not.toMatch(/iam::/);
    }
  });

  test('its event-pattern rules are on the default bus', () => {
    for (const [, rule] of patternRules(template)) expect(rule.Properties?.EventBusName).toBeUndefined();
  });
});

describe('central', () => {
  const template = loadModeTemplate('central');
  const standalone = loadTemplate('defaults');

  test('the central bus policy admits exactly the organization, to put events and nothing else', () => {
    const policies = resourcesOfType(template, 'AWS::Events::EventBusPolicy');
    expect(policies).toHaveLength(1);
    const [, policy] = policies[0];
    expect(referencedId(policy.Properties?.EventBusName)).toBe('CentralBus');
    expect(policy.Properties?.Statement).toEqual({
      Effect: 'Allow',
      Principal: '*',
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': ['CentralBus', 'Arn'] },
      Condition: { StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID } },
    });
    expect(resource(template, 'CentralBus').Properties?.Name).toBe('secretwatch-central-dev');
    expect(referencedId(template.Outputs?.CentralBusArn.Value, 'Arn')).toBe('CentralBus');
  });

  test('every event-pattern rule listens on the central bus, with a state a custom bus accepts', () => {
    const rules = patternRules(template);
    // And identityMonitor's, which a standalone stack outside us-east-1 lacks: the us-east-1 member stacks forward IAM's events.
    expect(rules.map(([id]) => id).sort()).toEqual([...patternRules(standalone).map(([id]) => id), 'SecretwatchdevidentityMonitorrule1EventBridgeRule'].sort());
    for (const [, rule] of rules) {
      expect(referencedId(rule.Properties?.EventBusName, 'Name')).toBe('CentralBus');
      expect(rule.Properties?.State ?? 'ENABLED').toBe('ENABLED');
    }
  });

  test('keeps the monitors, the scan schedule, the alert topic and the dashboard, and adds the scan workers', () => {
    const functions = (t: Template) =>
      resourcesOfType(t, 'AWS::Lambda::Function')
        .map(([id]) => id)
        .sort();
    expect(functions(template)).toEqual([...functions(standalone), 'IdentityMonitorLambdaFunction', 'ScanWorkerLambdaFunction'].sort());
    expect(functions(template).length).toBeGreaterThan(0);
    expect(resource(template, 'InventoryScanScheduleRule').Properties?.EventBusName).toBeUndefined();
    expect(resource(template, 'AlertTopic').Type).toBe('AWS::SNS::Topic');
    expect(resourcesOfType(template, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
  });

  test('the scan workers may assume exactly the scan role of each listed account, this stage and region, and both functions are told which', () => {
    const role = resource(template, 'ScanWorkerRole');
    const assume = statementsOf(role).filter((s) => asArray(s.Action).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(assume[0].Effect).toBe('Allow');
    expect(assume[0].Action).toBe('sts:AssumeRole');
    expect(assume[0].Condition).toBeUndefined();
    expect(asArray(assume[0].Resource).map(render)).toEqual(SCAN_ACCOUNTS.map((a) => `arn:aws:iam::${a}:role/secretwatch-dev-scan-eu-west-1`));
    for (const fn of ['InventoryScanLambdaFunction', 'ScanWorkerLambdaFunction']) {
      const env = resource(template, fn).Properties?.Environment.Variables;
      expect(env.SCAN_ACCOUNTS).toBe(SCAN_ACCOUNTS.join(','));
      expect(env.SCAN_ROLE_NAME).toBe('secretwatch-dev-scan-{region}');
      expect(env.SCAN_REGIONS).toBeUndefined();
    }
    // No other role of the central stack may assume anything in another account.
    for (const [id, r] of resourcesOfType(template, 'AWS::IAM::Role')) {
      if (id !== 'ScanWorkerRole') expect(actionsOf(r)).not.toContain('sts:AssumeRole');
    }
  });

  test('the fan-out: a queue of units with a dead-letter queue, both encrypted and TLS only, feeding the workers one unit at a time, at most 20 at once', () => {
    const queue = resource(template, 'ScanWorkerQueue').Properties;
    expect(queue).toMatchObject({ QueueName: 'secretwatch-dev-scan-units', SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 3 } });
    expect(referencedId(queue?.RedrivePolicy.deadLetterTargetArn, 'Arn')).toBe('ScanWorkerDeadLetterQueue');
    // Longer than a worker run: a unit is never handed to two workers at once.
    expect(queue?.VisibilityTimeout).toBeGreaterThan(resource(template, 'ScanWorkerLambdaFunction').Properties?.Timeout);
    expect(resource(template, 'ScanWorkerDeadLetterQueue').Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    for (const id of ['ScanWorkerQueuePolicy', 'ScanWorkerDeadLetterQueuePolicy']) {
      expect(resource(template, id).Properties?.PolicyDocument.Statement[0]).toMatchObject({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    }
    const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').map(([, m]) => m.Properties);
    expect(mappings.map((m) => [referencedId(m?.EventSourceArn, 'Arn'), m?.BatchSize, m?.ScalingConfig?.MaximumConcurrency, m?.FunctionResponseTypes]).sort()).toEqual([
      ['ScanWorkerDeadLetterQueue', 1, 2, ['ReportBatchItemFailures']],
      ['ScanWorkerQueue', 1, 20, ['ReportBatchItemFailures']],
    ]);
    // Reserved for the two event sources: the workers are never throttled into the dead-letter queue, nor take the account's concurrency.
    expect(resource(template, 'ScanWorkerLambdaFunction').Properties?.ReservedConcurrentExecutions).toBe(22);
    // A work queue holds messages during every scan: no "not empty" alarm on it, one on its dead-letter queue.
    const alarmed = resourcesOfType(template, 'AWS::CloudWatch::Alarm').flatMap(([, a]) => asArray(a.Properties?.Dimensions).map((d: any) => render(d.Value)));
    expect(alarmed).not.toContain('secretwatch-dev-scan-units');
    expect(alarmed).toContain('secretwatch-dev-scan-units-dlq');
  });

  test("the units' results: a table with a time to live, encrypted; each role with only the calls it makes", () => {
    const table = resource(template, 'ScanRunsTable');
    expect(table.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true }, SSESpecification: { SSEEnabled: true } });
    const scanRole = statementsOf(resource(template, 'InventoryScanRole'));
    const workerRole = statementsOf(resource(template, 'ScanWorkerRole'));
    const bySid = (statements: Record<string, any>[], sid: string) => statements.find((st) => st.Sid === sid);
    expect(bySid(scanRole, 'ScanRuns')).toEqual({
      Sid: 'ScanRuns',
      Effect: 'Allow',
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'],
      Resource: { 'Fn::GetAtt': ['ScanRunsTable', 'Arn'] },
    });
    expect(bySid(workerRole, 'ScanRuns')).toEqual({ Sid: 'ScanRuns', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: { 'Fn::GetAtt': ['ScanRunsTable', 'Arn'] } });
    expect(bySid(scanRole, 'QueueScanUnits')).toEqual({ Sid: 'QueueScanUnits', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['ScanWorkerQueue', 'Arn'] } });
    for (const statements of [scanRole, workerRole]) {
      expect(render(bySid(statements, 'StartAssembly')?.Resource)).toBe('arn:aws:lambda:eu-west-1:123456789012:function:secretwatch-dev-inventoryScan');
    }
    // The workers publish nothing and read no secret of the central account.
    expect(actionsOf(resource(template, 'ScanWorkerRole')).sort()).toEqual(
      [
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'lambda:InvokeFunction',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sts:AssumeRole',
      ].sort(),
    );
    const worker = resource(template, 'ScanWorkerLambdaFunction').Properties?.Environment.Variables;
    expect(referencedId(worker.SCAN_RUNS_TABLE)).toBe('ScanRunsTable');
    expect(referencedId(worker.SCAN_ASSEMBLY_FUNCTION)).toBe('InventoryScanLambdaFunction');
    expect(referencedId(worker.SCAN_DEAD_LETTER_QUEUE_ARN, 'Arn')).toBe('ScanWorkerDeadLetterQueue');
    const scan = resource(template, 'InventoryScanLambdaFunction').Properties?.Environment.Variables;
    expect(referencedId(scan.SCAN_UNIT_QUEUE_URL)).toBe('ScanWorkerQueue');
    expect(scan.SCAN_ASSEMBLY_FUNCTION).toBe('secretwatch-dev-inventoryScan');
  });

  test('the member scan role is named as the central scan derives it', () => {
    const member = loadModeTemplate('member');
    const env = resource(template, 'InventoryScanLambdaFunction').Properties?.Environment.Variables;
    // The member template names it with its own region; the central scan fills {region} in with the region it scans.
    expect(render(resource(member, 'MemberScanRole').Properties?.RoleName)).toBe(env.SCAN_ROLE_NAME.replace('{region}', 'eu-west-1'));
  });
});

/**
 * The compiled standalone template with what serverless/monitors.js adds for a central scan (the
 * scan workers' function, role and queues, as packaged in the central variant): what the plugin
 * rewrites in any central mode that scans member accounts.
 */
function compiledForCentralScan(): Template {
  const standalone = JSON.parse(JSON.stringify(loadTemplate('defaults'))) as Template;
  const central = loadModeTemplate('central');
  for (const [id, r] of Object.entries(central.Resources)) {
    if (id.startsWith('ScanWorker') && !standalone.Resources[id]) standalone.Resources[id] = JSON.parse(JSON.stringify(r));
  }
  // As monitors.js built it, before the plugin: the worker's role without what the plugin adds.
  const workerRole = standalone.Resources.ScanWorkerRole.Properties?.Policies[0].PolicyDocument;
  workerRole.Statement = asArray(workerRole.Statement).filter((st: any) => ['OwnLogGroup', 'ReceiveOwnQueues'].includes(st.Sid));
  const workerEnv = standalone.Resources.ScanWorkerLambdaFunction.Properties?.Environment.Variables;
  for (const name of Object.keys(workerEnv)) if (name.startsWith('SCAN_') && !name.endsWith('_PER_SECOND')) delete workerEnv[name];
  return standalone;
}

describe('central with scanOrganization (the plugin over the compiled standalone template)', () => {
  const template = organization.applyMode(compiledForCentralScan(), organization.organizationSettings({ mode: 'central', organizationId: ORGANIZATION_ID, scanOrganization: 'true' }), {
    stage: 'dev',
  }) as Template;

  test('the inventory scan may list the accounts; the scan workers assume the scan role of this stage and region only in accounts of the organization', () => {
    const role = resource(template, 'InventoryScanRole');
    const added = [...statementsOf(role), ...statementsOf(resource(template, 'ScanWorkerRole'))].filter((s) => ['ListOrganizationAccounts', 'AssumeMemberScanRoles'].includes(s.Sid));
    expect(added).toEqual([
      { Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
      {
        Sid: 'AssumeMemberScanRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: expect.anything(),
        Condition: { StringEquals: { 'aws:ResourceOrgID': ORGANIZATION_ID } },
      },
    ]);
    expect(render(added[1].Resource)).toBe('arn:aws:iam::*:role/secretwatch-dev-scan-eu-west-1');
    // Nothing else of Organizations: no describe, no write.
    expect(actionsOf(role).filter((a) => a.startsWith('organizations:'))).toEqual(['organizations:ListAccounts']);
  });

  test('is told to list the organization, and the role name; no SCAN_ACCOUNTS', () => {
    for (const fn of ['InventoryScanLambdaFunction', 'ScanWorkerLambdaFunction']) {
      const env = resource(template, fn).Properties?.Environment.Variables;
      expect(env.SCAN_ORGANIZATION).toBe('true');
      expect(env.SCAN_ACCOUNTS).toBeUndefined();
      expect(env.SCAN_ROLE_NAME).toBe('secretwatch-dev-scan-{region}');
    }
  });

  test('the rest is the central stack: no other role may assume a role or read the organization', () => {
    for (const [id, r] of resourcesOfType(template, 'AWS::IAM::Role')) {
      if (id !== 'ScanWorkerRole') expect(actionsOf(r).filter((a) => a === 'sts:AssumeRole')).toEqual([]);
      if (id !== 'InventoryScanRole') expect(actionsOf(r).filter((a) => a.startsWith('organizations:'))).toEqual([]);
    }
    expect(resource(template, 'CentralBusPolicy').Properties?.Statement.Condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': ORGANIZATION_ID } });
  });
});

describe('central with scanRegions (the plugin over the compiled standalone template)', () => {
  const central = (params: Record<string, string>) =>
    organization.applyMode(compiledForCentralScan(), organization.organizationSettings({ mode: 'central', organizationId: ORGANIZATION_ID, ...params }), { stage: 'dev' }) as Template;
  const assumable = (template: Template) =>
    statementsOf(resource(template, 'ScanWorkerRole'))
      .filter((st) => st.Action === 'sts:AssumeRole')
      .flatMap((st) => asArray(st.Resource).map(render));

  test("listed accounts: each account's role in each region, and the central account's own in those regions, nothing else", () => {
    const template = central({ scanAccounts: SCAN_ACCOUNTS.join(','), scanRegions: 'eu-west-1,us-east-1' });
    expect(assumable(template).sort()).toEqual([...SCAN_ACCOUNTS, '123456789012'].flatMap((a) => ['eu-west-1', 'us-east-1'].map((r) => `arn:aws:iam::${a}:role/secretwatch-dev-scan-${r}`)).sort());
    const env = resource(template, 'InventoryScanLambdaFunction').Properties?.Environment.Variables;
    expect([env.SCAN_ACCOUNTS, env.SCAN_REGIONS, env.SCAN_ROLE_NAME]).toEqual([SCAN_ACCOUNTS.join(','), 'eu-west-1,us-east-1', 'secretwatch-dev-scan-{region}']);
  });

  test("regions alone: the central account's own roles in those regions, no SCAN_ACCOUNTS", () => {
    const template = central({ scanRegions: 'us-east-1,ap-southeast-2' });
    expect(assumable(template)).toEqual(['arn:aws:iam::123456789012:role/secretwatch-dev-scan-us-east-1', 'arn:aws:iam::123456789012:role/secretwatch-dev-scan-ap-southeast-2']);
    expect(resource(template, 'InventoryScanLambdaFunction').Properties?.Environment.Variables.SCAN_ACCOUNTS).toBeUndefined();
  });

  test("the organization: any account's role in each region, only inside the organization", () => {
    const template = central({ scanOrganization: 'true', scanRegions: 'eu-west-1,us-east-1' });
    const assume = statementsOf(resource(template, 'ScanWorkerRole')).filter((st) => st.Action === 'sts:AssumeRole');
    expect(assume).toHaveLength(1);
    expect(asArray(assume[0].Resource).map(render)).toEqual(['arn:aws:iam::*:role/secretwatch-dev-scan-eu-west-1', 'arn:aws:iam::*:role/secretwatch-dev-scan-us-east-1']);
    expect(assume[0].Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': ORGANIZATION_ID } });
  });
});

describe('standalone without scanAccounts', () => {
  test('the inventory scan assumes no role and has no SCAN_ACCOUNTS; no scan worker, queue or table', () => {
    const template = loadTemplate('defaults');
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('ScanWorker') || id === 'ScanRunsTable')).toEqual([]);
    expect(actionsOf(resource(template, 'InventoryScanRole'))).not.toContain('sts:AssumeRole');
    expect(resource(template, 'InventoryScanLambdaFunction').Properties?.Environment.Variables.SCAN_ACCOUNTS).toBeUndefined();
  });
});

describe('member', () => {
  const template = loadModeTemplate('member');
  const standalone = loadTemplate('defaults');

  test('has no function: only the rules, the two roles and the Framework deployment bucket', () => {
    const types = new Set(Object.values(template.Resources).map((r) => r.Type));
    expect([...types].sort()).toEqual(['AWS::Events::Rule', 'AWS::IAM::Role', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    expect(
      resourcesOfType(template, 'AWS::IAM::Role')
        .map(([id]) => id)
        .sort(),
    ).toEqual(['ForwardingRole', 'MemberScanRole']);
  });

  test('its package holds no code: no function zip, and no function in the saved state that `serverless deploy --package` uploads from', () => {
    const dir = modePackageDir('member');
    expect(readdirSync(dir).sort()).toEqual(['cloudformation-template-create-stack.json', 'cloudformation-template-update-stack.json', 'serverless-state.json']);
    const state = JSON.parse(readFileSync(join(dir, 'serverless-state.json'), 'utf8'));
    expect(state.service.functions).toEqual({});
    // The central package, for contrast, has every function's zip.
    expect(readdirSync(modePackageDir('central')).filter((f) => f.endsWith('.zip')).length).toBeGreaterThan(0);
  });

  test('forwards every event pattern of the standalone stack, unchanged, to the central bus', () => {
    const patterns = (t: Template) =>
      patternRules(t)
        .map(([, r]) => JSON.stringify(r.Properties?.EventPattern))
        .sort();
    expect(patterns(template)).toEqual(patterns(standalone));
    for (const [, rule] of patternRules(template)) {
      expect(rule.Properties?.Targets).toEqual([{ Id: 'central-bus', Arn: CENTRAL_BUS_ARN, RoleArn: { 'Fn::GetAtt': ['ForwardingRole', 'Arn'] } }]);
      expect(rule.Properties?.EventBusName).toBeUndefined();
    }
    // Read-only calls reach the default bus's rules only with this state (the forwarded rule keeps it).
    expect(resource(template, 'SecretAccessAfterDeletionRule').Properties?.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) => r.Properties?.ScheduleExpression)).toEqual([]);
  });

  test("the forwarding role may put events on the central bus and nothing else, for this account's rules only", () => {
    const role = resource(template, 'ForwardingRole');
    expect(statementsOf(role)).toEqual([{ Sid: 'CentralBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: CENTRAL_BUS_ARN }]);
    expect(role.Properties?.AssumeRolePolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } },
    ]);
  });

  test("the scan role reads Secrets Manager metadata and the account's authorization details only, and trusts only the central account", () => {
    const role = resource(template, 'MemberScanRole');
    expect(actionsOf(role).sort()).toEqual(['iam:GetAccountAuthorizationDetails', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:ListSecrets']);
    expect(statementsOf(role).every((s) => s.Effect === 'Allow' && s.Condition === undefined)).toBe(true);
    const versions = statementsOf(role).find((s) => s.Action === 'secretsmanager:ListSecretVersionIds');
    expect(render(versions?.Resource)).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:*');
    expect(role.Properties?.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' }]);
    expect(render(role.Properties?.RoleName)).toBe('secretwatch-dev-scan-eu-west-1');
  });

  test('grants nothing beyond those four actions in the whole stack', () => {
    const actions = new Set(resourcesOfType(template, 'AWS::IAM::Role').flatMap(([, r]) => actionsOf(r)));
    expect([...actions].sort()).toEqual(['events:PutEvents', 'iam:GetAccountAuthorizationDetails', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:ListSecrets']);
    expect(Object.keys(template.Outputs ?? {}).sort()).toEqual(['ForwardingRoleArn', 'ScanRoleArn', 'ServerlessDeploymentBucketName']);
  });
});
