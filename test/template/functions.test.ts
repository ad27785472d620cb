/**
 * The functions in the packaged template: runtime, package size, environment, asynchronous
 * failure handling and a least-privilege role each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { allChecks, checksRunBy } from '../../src/checks';
import { CONFIG_KEYS, envName } from '../../src/config/config';
import { monitors, type MonitorDeclaration } from '../../src/monitors';
import { deliverySettingsOf } from '../../src/monitors/monitor';
import {
  MODE_VARIANTS,
  type ModeVariantName,
  PSEUDO,
  REGION_VARIANTS,
  type RegionVariantName,
  loadModeTemplate,
  loadRegionTemplate,
  modePackageDir,
  regionPackageDir,
  REGION,
  STAGE,
  VARIANTS,
  asArray,
  loadTemplate,
  packageDirs,
  referencedId,
  render,
  resource,
  resourcesOfType,
  zipEntries,
  zipEntryContent,
  type Resource,
  type Template,
  type VariantName,
} from './packaging';

const MAX_ZIP_BYTES = 150_000;
const template = loadTemplate();
const functions = resourcesOfType(template, 'AWS::Lambda::Function');
const variants = Object.keys(VARIANTS) as VariantName[];
/** The monitors a stack in REGION has (a monitor's `regions`, if any, must include it); the central scan's only in mode central. */
const deployed = monitors.filter((m) => (!m.regions || m.regions.includes(REGION)) && !m.centralScanOnly);

function monitorOf(fn: Resource): MonitorDeclaration | undefined {
  return monitors.find((m) => fn.Properties?.FunctionName === `secretwatch-${STAGE}-${m.name}`);
}

/**
 * The environment variables a monitor's function needs, from the declarations themselves: the
 * delivery settings, every setting its checks read, its follow-ups' switches and its own settings,
 * plus LOG_LEVEL and its fixed variables.
 */
function expectedVariables(monitor: MonitorDeclaration): string[] {
  const settings = [...deliverySettingsOf(monitor), ...checksRunBy(monitor.name).flatMap((c) => c.settings), ...(monitor.followUps ?? []).map((f) => f.enabledBy), ...(monitor.settings ?? [])];
  return [...new Set([...settings.map(envName), 'LOG_LEVEL', ...Object.keys(monitor.environment ?? {})])].sort();
}

/** functionName (as in serverless.yml) -> logical id, for a template. */
function functionsByName(t: Template): Map<string, [string, Resource]> {
  return new Map(resourcesOfType(t, 'AWS::Lambda::Function').map(([id, r]) => [String(r.Properties?.FunctionName).replace(`secretwatch-${STAGE}-`, ''), [id, r]]));
}

function zipPathOf(fn: Resource, variant: VariantName = 'defaults'): string {
  const key = String(fn.Properties?.Code?.S3Key);
  return join(packageDirs()[variant], key.split('/').pop() as string);
}

describe('functions', () => {
  test('one function per monitor deployed in this region, named as its monitor declares, and nothing else but the Slack notifier', () => {
    const names = [...functionsByName(template).keys()].sort();
    expect(deployed.length).toBeGreaterThanOrEqual(4);
    expect(names).toEqual(deployed.map((m) => m.name).sort());
    for (const variant of variants) {
      const all = [...functionsByName(loadTemplate(variant)).keys()].filter((n) => n !== 'slackNotifier').sort();
      expect(all).toEqual(deployed.map((m) => m.name).sort());
    }
  });

  test.each(deployed.map((m) => [m.name, m] as const))('%s: the handler, description, memory and timeout its declaration gives', (name, monitor) => {
    const fn = functionsByName(template).get(name)?.[1].Properties;
    expect(fn?.Handler).toBe(monitor.handler);
    expect(fn?.Description).toBe(monitor.description);
    expect(fn?.MemorySize).toBe(monitor.memorySize ?? 256);
    expect(fn?.Timeout).toBe(monitor.timeout ?? 30);
    // Each function has its own entry point, which imports only its own declaration.
    expect(fn?.Handler).toBe(monitor.handler);
  });

  test.each(functions)('%s runs on nodejs22.x, arm64, with bounded memory and timeout', (_id, fn) => {
    expect(fn.Properties?.Runtime).toBe('nodejs22.x');
    expect(fn.Properties?.Architectures).toEqual(['arm64']);
    expect(fn.Properties?.MemorySize).toBeLessThanOrEqual(1024);
    // The inventory scan of 50,000 secrets needs Lambda's longest timeout; an event needs seconds.
    const scheduled = Boolean(monitorOf(fn)?.schedule);
    expect(fn.Properties?.Timeout).toBeLessThanOrEqual(scheduled ? 900 : 300);
  });

  test('the inventory scan has the memory and time for 50,000 secrets', () => {
    const scan = functionsByName(template).get('inventoryScan')?.[1].Properties;
    expect(scan?.MemorySize).toBe(1024);
    expect(scan?.Timeout).toBe(900);
    // No V8 flag: any flag makes node compile its own modules from source at every cold start
    // (its embedded code cache is for the default flags), 12 ms more to load, and a larger young
    // generation no longer saves the 50,000-secret scan any CPU (npm run bench).
    expect(scan?.Environment?.Variables?.NODE_OPTIONS).toBeUndefined();
  });

  test.each(functions)('%s: its zip exists, is at most 150 KB and holds the handler module, bundled', (_id, fn) => {
    const zip = zipPathOf(fn);
    const size = statSync(zip).size;
    expect(size).toBeLessThanOrEqual(MAX_ZIP_BYTES);
    const handler = String(fn.Properties?.Handler);
    const modulePath = `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
    const names = zipEntries(zip).map((e) => e.name);
    expect(names).toContain(modulePath);
    expect(names.filter((n) => n.startsWith('node_modules/'))).toEqual([]);
    expect(names.filter((n) => n.endsWith('.map') || n.endsWith('.ts'))).toEqual([]);
  });

  test('every function of every package (variants, organization modes, us-east-1) is at most 150 KB zipped', () => {
    const packages: [string, string, Template][] = [
      ...variants.map((v) => [v, packageDirs()[v], loadTemplate(v)] as [string, string, Template]),
      ...(Object.keys(MODE_VARIANTS) as ModeVariantName[]).map((m) => [m, modePackageDir(m), loadModeTemplate(m)] as [string, string, Template]),
      ...(Object.keys(REGION_VARIANTS) as RegionVariantName[]).map((r) => [r, regionPackageDir(r), loadRegionTemplate(r)] as [string, string, Template]),
    ];
    const sizes = packages.flatMap(([name, dir, t]) =>
      resourcesOfType(t, 'AWS::Lambda::Function').map(([id, fn]) => [name, id, statSync(join(dir, String(fn.Properties?.Code?.S3Key).split('/').pop() as string)).size] as const),
    );
    expect(sizes.length).toBeGreaterThan(packages.length);
    expect(sizes.filter(([, , size]) => size > MAX_ZIP_BYTES)).toEqual([]);
  });

  test.each(deployed.map((m) => [m.name, m] as const))('%s: its bundle carries the checks it runs and no other', (name) => {
    const [, fn] = functionsByName(template).get(name)!;
    const handler = String(fn.Properties?.Handler);
    const bundle = zipEntryContent(zipPathOf(fn), `${handler.slice(0, handler.lastIndexOf('.'))}.js`).toString('utf8');
    const own = new Set(checksRunBy(name).map((c) => c.id));
    // A check's id is in the bundle as the quoted string its metadata declares.
    const carried = allChecks.map((c) => c.id).filter((id) => bundle.includes(`id:"${id}"`));
    expect(carried.sort()).toEqual([...own].sort());
  });

  test('the opt-in follow-up clients are not bundled: the policy monitor requires them from the runtime when first used', () => {
    const [, fn] = functionsByName(template).get('policyMonitor')!;
    const bundle = zipEntryContent(zipPathOf(fn), 'handlers/policyMonitor.js').toString('utf8');
    expect(bundle).toContain('require("@aws-sdk/client-accessanalyzer")');
    // The client's own configuration (its signing name) would be in the bundle had it been bundled.
    expect(bundle).not.toMatch(/defaultSigningName:"access-analyzer"/);
  });

  test.each(functions)('%s: the Security Hub client is not bundled, only required from the runtime where securityHub is on', (_id, fn) => {
    const zip = zipPathOf(fn);
    const handler = String(fn.Properties?.Handler);
    const code = zipEntryContent(zip, `${handler.slice(0, handler.lastIndexOf('.'))}.js`).toString('utf8');
    // A shape name of the client's own schema: present only if the client were bundled.
    expect(code).not.toContain('AwsSecretsManagerSecretDetails');
    if (/Monitor|inventoryScan/.test(handler)) expect(code).toContain('require("@aws-sdk/client-securityhub")');
  });

  test.each(functions)('%s: the packaged handler loads with the environment of the template', (_id, fn) => {
    // What Lambda does at cold start: load the module named by Handler with the function's environment.
    const dir = mkdtempSync(join(tmpdir(), 'secretwatch-handler-'));
    try {
      const handler = String(fn.Properties?.Handler);
      const modulePath = `${handler.slice(0, handler.lastIndexOf('.'))}.js`;
      mkdirSync(join(dir, dirname(modulePath)), { recursive: true });
      writeFileSync(join(dir, modulePath), zipEntryContent(zipPathOf(fn), modulePath));
      const env: Record<string, string> = {};
      for (const [name, value] of Object.entries(fn.Properties?.Environment?.Variables ?? {})) {
        const id = referencedId(value);
        env[name] = id === 'AlertTopic' ? `arn:aws:sns:${PSEUDO['AWS::Region']}:123456789012:secretwatch-${STAGE}-alerts` : id === 'DeliveryTable' ? `secretwatch-${STAGE}-deliveries` : render(value);
      }
      const exportName = handler.slice(handler.lastIndexOf('.') + 1);
      const out = spawnSync(process.execPath, ['-e', `const m=require(${JSON.stringify(join(dir, modulePath))});process.stdout.write(typeof m[${JSON.stringify(exportName)}])`], {
        // NODE_PATH: Lambda's own SDK v3 (/var/runtime/node_modules), which the repository's stands in for.
        env: {
          PATH: process.env.PATH,
          NODE_PATH: join(__dirname, '..', '..', 'node_modules'),
          AWS_REGION: PSEUDO['AWS::Region'],
          AWS_ACCESS_KEY_ID: 'AKIDTEST',
          AWS_SECRET_ACCESS_KEY: 'test',
          NODE_NO_WARNINGS: '1',
          ...env,
        },
        encoding: 'utf8',
      });
      expect(out.stderr).toBe('');
      expect(out.stdout).toBe('function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(functions)('%s: environment carries the topic, the bus and the validated settings', (_id, fn) => {
    if (!monitorOf(fn)) return; // the Slack notifier: test/template/notifications.test.ts
    const env = fn.Properties?.Environment?.Variables ?? {};
    expect(referencedId(env.ALERT_TOPIC_ARN)).toBe('AlertTopic');
    expect(referencedId(env.FINDINGS_BUS_NAME, 'Name')).toBe('FindingsBus');
    expect(env).toMatchObject({ METRIC_NAMESPACE: 'SecretWatch', NOTIFY_MIN_SEVERITY: 'LOW', LOG_LEVEL: 'INFO' });
  });

  describe.each(variants)('environment (%s)', (variant) => {
    const fns = resourcesOfType(loadTemplate(variant), 'AWS::Lambda::Function').filter(([, fn]) => monitorOf(fn));

    test.each(fns)('%s: exactly what its monitor reads, no setting of another function', (_id, fn) => {
      const monitor = monitorOf(fn) as MonitorDeclaration;
      expect(Object.keys(fn.Properties?.Environment?.Variables ?? {}).sort()).toEqual(expectedVariables(monitor));
    });
  });

  test('no setting reaches a function that does not read it', () => {
    const env = (name: string) => Object.keys(functionsByName(template).get(name)?.[1].Properties?.Environment.Variables ?? {});
    // Each of these is read by one family of checks only.
    expect(env('rotationMonitor')).not.toContain('TRUSTED_ACCOUNTS');
    expect(env('inventoryScan')).not.toContain('MIN_RECOVERY_WINDOW_DAYS');
    expect(env('inventoryScan')).not.toContain('TRUSTED_ORG_ID');
    expect(env('deletionMonitor')).not.toContain('MAX_ROTATION_DAYS');
    expect(env('policyMonitor')).not.toContain('SCAN_INTERVAL_HOURS');
    expect(env('policyMonitor')).toEqual(expect.arrayContaining(['TRUSTED_ACCOUNTS', 'TRUSTED_ORG_ID', 'REMEDIATE_PUBLIC_POLICY', 'CONFIRM_WITH_ACCESS_ANALYZER']));
    // Whatever a monitor's function gets beyond its fixed variables is a setting of the config schema.
    const settings = new Set(CONFIG_KEYS.map(envName));
    for (const monitor of deployed) {
      for (const name of env(monitor.name)) {
        if (!['LOG_LEVEL', ...Object.keys(monitor.environment ?? {})].includes(name))
          expect({ fn: monitor.name, name, setting: settings.has(name) }).toEqual({ fn: monitor.name, name, setting: true });
      }
    }
  });

  test('every setting a check reads reaches the function that runs it', () => {
    for (const monitor of deployed) {
      const env = functionsByName(template).get(monitor.name)?.[1].Properties?.Environment.Variables ?? {};
      for (const check of checksRunBy(monitor.name))
        for (const setting of check.settings) expect({ check: check.id, setting, present: envName(setting) in env }).toEqual({ check: check.id, setting, present: true });
    }
  });

  test('deploy parameters reach the environment, normalised', () => {
    const one = (name: string) => functionsByName(loadTemplate('oneEmail')).get(name)?.[1].Properties?.Environment.Variables;
    expect(one('deletionMonitor')).toMatchObject({ FINDINGS_BUS_NAME: 'default', NOTIFY_MIN_SEVERITY: 'HIGH', LOG_LEVEL: 'DEBUG' });
    expect(one('policyMonitor')).toMatchObject({ TRUSTED_ACCOUNTS: '111111111111,222222222222' });
    const two = (name: string) => functionsByName(loadTemplate('twoEmails')).get(name)?.[1].Properties?.Environment.Variables;
    expect(two('deletionMonitor')).toMatchObject({ FINDINGS_BUS_NAME: 'central-findings', METRIC_NAMESPACE: 'Custom/SecretWatch', MIN_RECOVERY_WINDOW_DAYS: '14' });
    expect(two('policyMonitor')).toMatchObject({ TRUSTED_ORG_ID: 'o-a1b2c3d4e5' });
  });

  test('the scan settings reach the inventory scan, normalised', () => {
    const scan = (variant: VariantName) => functionsByName(loadTemplate(variant)).get('inventoryScan')?.[1].Properties?.Environment.Variables;
    expect(scan('defaults')).toMatchObject({ MAX_ROTATION_DAYS: '90', UNUSED_DAYS: '90', REQUIRE_CUSTOMER_MANAGED_KEY: 'false', SCAN_INTERVAL_HOURS: '24', FULL_DIGEST_WEEKDAY: 'MONDAY' });
    expect(scan('oneEmail')).toMatchObject({ SCAN_INTERVAL_HOURS: '1', FULL_DIGEST_WEEKDAY: 'FRIDAY', REQUIRE_CUSTOMER_MANAGED_KEY: 'true', NOTIFY_MIN_SEVERITY: 'HIGH' });
    expect(scan('twoEmails')).toMatchObject({ SCAN_INTERVAL_HOURS: '168', MAX_ROTATION_DAYS: '30', UNUSED_DAYS: '365' });
    // The rotation monitor judges RotateSecret schedules against the same limit.
    expect(functionsByName(loadTemplate('twoEmails')).get('rotationMonitor')?.[1].Properties?.Environment.Variables).toMatchObject({ MAX_ROTATION_DAYS: '30' });
  });

  test.each(functions)('%s: asynchronous failures are retried, then sent to an encrypted queue', (id) => {
    const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').filter(([, c]) => referencedId(c.Properties?.FunctionName) === id);
    expect(configs).toHaveLength(1);
    const props = configs[0][1].Properties ?? {};
    expect(props.Qualifier).toBe('$LATEST');
    expect(props.MaximumRetryAttempts).toBe(2);
    const queueId = referencedId(props.DestinationConfig?.OnFailure?.Destination, 'Arn') as string;
    const queue = resource(template, queueId);
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties?.SqsManagedSseEnabled === true || Boolean(queue.Properties?.KmsMasterKeyId)).toBe(true);
  });

  test.each(functions)('%s: its log group expires', (id) => {
    const logGroups = resourcesOfType(template, 'AWS::Logs::LogGroup').filter(([lgId]) => asArray(resource(template, id).DependsOn).includes(lgId));
    expect(logGroups).toHaveLength(1);
    expect(logGroups[0][1].Properties?.RetentionInDays).toBeGreaterThan(0);
  });
});

// --- IAM ---------------------------------------------------------------------------------------

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * What an event monitor may do, and nothing else (least privilege, no `*` resource where the API
 * can scope it): write its own logs, put metrics in its namespace, publish to the alert topic
 * (with its key), put findings on the bus, and send its failed events to the failure queue
 * (Lambda's on-failure destination uses the function's role).
 */
function expectedMonitorStatements(t: Template, fnId: string, fn: Resource, variant: VariantName): { actions: string[]; resource: string; condition?: unknown }[] {
  const env = fn.Properties?.Environment?.Variables ?? {};
  const logGroup = asArray(fn.DependsOn).find((d) => t.Resources[d]?.Type === 'AWS::Logs::LogGroup') as string;
  const invokeConfig = resourcesOfType(t, 'AWS::Lambda::EventInvokeConfig').find(([, c]) => referencedId(c.Properties?.FunctionName) === fnId)?.[1];
  const failureQueue = referencedId(invokeConfig?.Properties?.DestinationConfig?.OnFailure?.Destination, 'Arn');
  const topicKey = referencedId(resource(t, 'AlertTopic').Properties?.KmsMasterKeyId, 'Arn');
  const bus = variant === 'defaults' ? '<FindingsBus.Arn>' : `arn:aws:events:${PSEUDO['AWS::Region']}:123456789012:event-bus/${VARIANTS[variant].params.findingsBusName}`;
  return [
    { actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resource: `<${logGroup}.Arn>` },
    { actions: ['cloudwatch:PutMetricData'], resource: '*', condition: { StringEquals: { 'cloudwatch:namespace': env.METRIC_NAMESPACE } } },
    { actions: ['sns:Publish'], resource: '<AlertTopic>' },
    { actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resource: `<${topicKey}.Arn>` },
    { actions: ['events:PutEvents'], resource: bus },
    { actions: ['sqs:SendMessage'], resource: `<${failureQueue}.Arn>` },
    // Only with securityHub=true (test/template/securityHub.test.ts): the default product, and the hub to look up open findings.
    ...(env.SECURITY_HUB === 'true'
      ? [
          { actions: ['securityhub:BatchImportFindings'], resource: `arn:aws:securityhub:${PSEUDO['AWS::Region']}:123456789012:product/123456789012/default` },
          { actions: ['securityhub:GetFindings'], resource: `arn:aws:securityhub:${PSEUDO['AWS::Region']}:123456789012:hub/default` },
        ]
      : []),
    // The delivery ledger of an event monitor: its own items only, no Scan or Query.
    ...(env.DELIVERY_TABLE_NAME ? [{ actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resource: '<DeliveryTable.Arn>' }] : []),
  ];
}

/**
 * What the inventory scan may do on top of a monitor's statements: list the inventory (ListSecrets
 * has no resource type), read version dates of this account's secrets in this region and the
 * account's IAM authorization details (no resource type either). Never GetSecretValue or
 * DescribeSecret, and no KMS on the secrets' keys.
 */
function expectedScanStatements(): { actions: string[]; resource: string; condition?: unknown }[] {
  return [
    { actions: ['secretsmanager:ListSecrets'], resource: '*' },
    { actions: ['secretsmanager:ListSecretVersionIds'], resource: `arn:aws:secretsmanager:${PSEUDO['AWS::Region']}:123456789012:secret:*` },
    { actions: ['iam:GetAccountAuthorizationDetails'], resource: '*' },
  ];
}

describe.each(variants)('IAM (%s)', (variant) => {
  const t = loadTemplate(variant);
  const fns = resourcesOfType(t, 'AWS::Lambda::Function');

  test('no shared execution role: nothing that every function would get', () => {
    expect(t.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  test.each(fns)('%s has its own role with exactly the statements it needs', (fnId, fn) => {
    const roleId = referencedId(fn.Properties?.Role, 'Arn') as string;
    expect(roleId).toBeDefined();
    const others = fns.filter(([id]) => id !== fnId).map(([, f]) => referencedId(f.Properties?.Role, 'Arn'));
    expect(others).not.toContain(roleId);

    const role = resource(t, roleId);
    expect(role.Type).toBe('AWS::IAM::Role');
    expect(role.Properties?.ManagedPolicyArns ?? []).toEqual([]);
    expect(role.Properties?.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    // No policy attached to the role from elsewhere.
    for (const [, p] of [...resourcesOfType(t, 'AWS::IAM::Policy'), ...resourcesOfType(t, 'AWS::IAM::ManagedPolicy')]) {
      expect((p.Properties?.Roles ?? []).map((r: unknown) => referencedId(r))).not.toContain(roleId);
    }
    // The Slack notifier is no monitor: test/template/slack.test.ts checks its role statement by statement.
    if (fn.Properties?.FunctionName === `secretwatch-${STAGE}-slackNotifier`) return;

    const statements: Statement[] = (role.Properties?.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
    const actual = statements.map((s) => {
      expect(s.Effect).toBe('Allow');
      const resources = asArray(s.Resource as unknown[]);
      expect(resources).toHaveLength(1);
      return { actions: asArray(s.Action).sort(), resource: render(resources[0]), condition: s.Condition };
    });
    const monitor = monitorOf(fn);
    if (!monitor) throw new Error(`${fnId}: no expected IAM statements for this function; add them to this test`);
    const isScan = monitor.name === 'inventoryScan';
    // Beyond what every monitor has: the permissions its declaration lists (the scan's, spelt out
    // here as well, are metadata reads only).
    const declared = (monitor.permissions ?? []).map((p) => ({ actions: asArray(p.Action as string | string[]), resource: render(p.Resource), condition: p.Condition }));
    if (isScan) expect(declared.map(({ actions, resource: r }) => ({ actions: [...actions].sort(), resource: r }))).toEqual(expectedScanStatements());
    const expected = [...expectedMonitorStatements(t, fnId, fn, variant), ...declared];

    // The same action/resource pairs, in any order; conditions checked below.
    expect(actual.map(({ actions, resource: r }) => ({ actions, resource: r }))).toEqual(
      expect.arrayContaining(expected.map(({ actions, resource: r }) => ({ actions: [...actions].sort(), resource: r }))),
    );
    expect(actual).toHaveLength(expected.length);
    for (const e of expected.filter((x) => x.condition)) {
      const match = actual.find((a) => a.resource === e.resource && a.actions.join() === [...e.actions].sort().join());
      expect(match?.condition).toEqual(e.condition);
    }
    // Only actions without a resource type may use '*': PutMetricData (with its namespace
    // condition) and, for the scan, ListSecrets and GetAccountAuthorizationDetails.
    for (const a of actual.filter((x) => x.resource === '*'))
      expect([['cloudwatch:PutMetricData'], ...(isScan ? [['secretsmanager:ListSecrets'], ['iam:GetAccountAuthorizationDetails']] : [])]).toContainEqual(a.actions);
    for (const a of actual) for (const action of a.actions) expect(action).not.toMatch(/\*/);
    // The topic key only through SNS.
    const kms = statements.find((s) => asArray(s.Action).some((x) => x.startsWith('kms:')));
    expect(render(kms?.Condition?.StringEquals?.['kms:ViaService'])).toBe(`sns.${PSEUDO['AWS::Region']}.amazonaws.com`);
  });
});
