/**
 * The variable resolvers under serverless/ that turn deploy parameters into template parts, and
 * the build plugins; called directly (no packaging) except for one end-to-end failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { heartbeatWindow } from '../../src/dashboard';
import { failedRun, ROOT } from './packaging';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/* eslint-disable @typescript-eslint/no-require-imports */
const emails = require('../../serverless/emailSubscriptions.js');
const bus = require('../../serverless/findingsBus.js');
const settings = require('../../serverless/settings.js');
const plugins = require('../../serverless/esbuildPlugins.js');
/* eslint-enable @typescript-eslint/no-require-imports */

describe('alertEmails', () => {
  test.each([
    [undefined, []],
    ['', []],
    ['  ', []],
    ['a@example.com', ['a@example.com']],
    [' a@example.com , b.c+tag@sub.example.org ', ['a@example.com', 'b.c+tag@sub.example.org']],
  ])('%j -> %j', (value, expected) => {
    expect(emails.parseAlertEmails(value)).toEqual(expected);
  });

  test.each([
    ['not-an-email', /"not-an-email" is not an email address/],
    ['a@example.com;b@example.com', /is not an email address/],
    ['a@example', /"a@example" is not an email address/],
    ['a@example.com,,b@example.com', /entry 2 is empty/],
    ['a@example.com, A@Example.com', /listed twice/],
    ['"a b"@example.com', /is not an email address/],
  ])('%j is refused with a message naming the parameter', (value, message) => {
    expect(() => emails.parseAlertEmails(value)).toThrow(/^Invalid deploy parameter alertEmails: /);
    expect(() => emails.parseAlertEmails(value)).toThrow(message);
  });

  test('the error carries no stack trace (the Framework prints it whole)', () => {
    try {
      emails.parseAlertEmails('nope');
      throw new Error('not thrown');
    } catch (error) {
      expect((error as Error).stack).toBe((error as Error).message);
    }
  });

  test('subscription logical ids are stable per address and valid CloudFormation ids', () => {
    const id = emails.subscriptionLogicalId('secops@example.com');
    expect(id).toMatch(/^AlertEmailSubscription[0-9A-F]{12}$/);
    expect(emails.subscriptionLogicalId('SecOps@Example.com')).toBe(id);
    expect(emails.subscriptionLogicalId('other@example.com')).not.toBe(id);
  });
});

describe('findingsBusName', () => {
  test('empty: a bus created by the stack', () => {
    const b = bus.findingsBus('', 'prod');
    expect(b.mode).toBe('created');
    expect(b.name).toEqual({ 'Fn::GetAtt': ['FindingsBus', 'Name'] });
    expect(b.resources.Resources.FindingsBus.Properties.Name).toBe('secretwatch-findings-prod');
  });

  test('"default": the account default bus', () => {
    expect(bus.findingsBus('default', 'prod')).toMatchObject({ mode: 'default', name: 'default', resources: {} });
  });

  test('a name: that existing bus', () => {
    const b = bus.findingsBus('central-findings', 'prod');
    expect(b).toMatchObject({ mode: 'existing', name: 'central-findings', resources: {} });
    expect(b.arn['Fn::Sub']).toMatch(/:event-bus\/central-findings$/);
  });

  test.each(['arn:aws:events:eu-west-1:111122223333:event-bus/x', 'aws.partner/x', 'bad name'])('%j is refused', (value) => {
    expect(() => bus.findingsBus(value, 'prod')).toThrow(/^Invalid deploy parameter findingsBusName: /);
  });
});

describe('settings', () => {
  const defaults = { notifyMinSeverity: 'LOW', minRecoveryWindowDays: '30', trustedAccounts: '', trustedOrgId: '', metricNamespace: 'SecretWatch', logLevel: 'INFO' };

  test('defaults become the environment', () => {
    expect(settings.settingsEnvironment(defaults)).toEqual({
      NOTIFY_MIN_SEVERITY: 'LOW',
      MIN_RECOVERY_WINDOW_DAYS: '30',
      TRUSTED_ACCOUNTS: '',
      TRUSTED_ORG_ID: '',
      APPROVED_REGIONS: '',
      IDENTITY_EXEMPT_PRINCIPALS: '',
      METRIC_NAMESPACE: 'SecretWatch',
      REMEDIATE_PUBLIC_POLICY: 'false',
      CONFIRM_WITH_ACCESS_ANALYZER: 'false',
      MAX_ROTATION_DAYS: '90',
      UNUSED_DAYS: '90',
      REQUIRE_CUSTOMER_MANAGED_KEY: 'false',
      SCAN_INTERVAL_HOURS: '24',
      FULL_DIGEST_WEEKDAY: 'MONDAY',
      SCAN_LIST_SECRETS_PER_SECOND: '80',
      SCAN_LOOKUPS_PER_SECOND: '40',
      SLACK_WEBHOOK_SECRET_ARN: '',
      SLACK_MIN_SEVERITY: 'MEDIUM',
      EMAIL_MIN_SEVERITY: 'HIGH',
      SECURITY_HUB: 'false',
      SLACK_RESOLVED: 'false',
      LOG_LEVEL: 'INFO',
    });
  });

  test.each([
    [1, 'rate(1 hour)', 2],
    [2, 'rate(2 hours)', 4],
    [84, 'rate(84 hours)', 168],
    [85, 'rate(85 hours)', 168],
    [168, 'rate(168 hours)', 168],
  ])('scanIntervalHours %i: schedule %s, the missed-scan alarm after %i hours', (hours, schedule, missed) => {
    expect(settings.scanSchedule(hours)).toBe(schedule);
    expect(heartbeatWindow(hours)).toEqual({ period: 3600, evaluationPeriods: missed });
    expect(settings.settingsEnvironment({ ...defaults, scanIntervalHours: String(hours) })).toMatchObject({ SCAN_INTERVAL_HOURS: String(hours) });
  });

  test('values are normalised by the monitors own schema', () => {
    expect(settings.settingsEnvironment({ ...defaults, notifyMinSeverity: ' medium', trustedAccounts: '111111111111, 222222222222,', logLevel: 'warn' })).toMatchObject({
      NOTIFY_MIN_SEVERITY: 'MEDIUM',
      TRUSTED_ACCOUNTS: '111111111111,222222222222',
      LOG_LEVEL: 'WARN',
    });
  });

  test.each([
    [{ notifyMinSeverity: 'LOUD' }, /^Invalid deploy parameter notifyMinSeverity: invalid setting NOTIFY_MIN_SEVERITY/],
    [{ minRecoveryWindowDays: '31' }, /^Invalid deploy parameter minRecoveryWindowDays: /],
    [{ minRecoveryWindowDays: 'seven' }, /^Invalid deploy parameter minRecoveryWindowDays: /],
    [{ trustedAccounts: '1234' }, /^Invalid deploy parameter trustedAccounts: .*12-digit/],
    [{ trustedOrgId: 'my-org' }, /^Invalid deploy parameter trustedOrgId: /],
    [{ metricNamespace: ':bad' }, /^Invalid deploy parameter metricNamespace: /],
    [{ logLevel: 'VERBOSE' }, /^Invalid deploy parameter logLevel: /],
    [{ maxRotationDays: '0' }, /^Invalid deploy parameter maxRotationDays: invalid setting MAX_ROTATION_DAYS/],
    [{ unusedDays: '90d' }, /^Invalid deploy parameter unusedDays: /],
    [{ scanListSecretsPerSecond: '101' }, /^Invalid deploy parameter scanListSecretsPerSecond: /],
    [{ scanLookupsPerSecond: '0' }, /^Invalid deploy parameter scanLookupsPerSecond: /],
    [{ requireCustomerManagedKey: 'sometimes' }, /^Invalid deploy parameter requireCustomerManagedKey: /],
    [{ scanIntervalHours: '169' }, /^Invalid deploy parameter scanIntervalHours: /],
    [{ scanIntervalHours: '1.5' }, /^Invalid deploy parameter scanIntervalHours: /],
    [{ fullDigestWeekday: 'someday' }, /^Invalid deploy parameter fullDigestWeekday: /],
  ])('%j is refused with a message naming the parameter', (override, message) => {
    expect(() => settings.settingsEnvironment({ ...defaults, ...override })).toThrow(message);
  });

  test('an undeclared --param name is refused (a typo would otherwise be ignored)', () => {
    const declared = ['alertEmails', 'findingsBusName'];
    expect(() => settings.checkParamNames(['alertEmails=a@example.com'], declared)).not.toThrow();
    expect(() => settings.checkParamNames(['alertEmail=a@example.com'], declared)).toThrow(/^Unknown deploy parameter "alertEmail" \(known: alertEmails, findingsBusName\)/);
  });
});

describe('esbuild plugins', () => {
  test('src/ takes zod from src/schema/zod.ts only, as a namespace (the form esbuild tree-shakes); the classic build would add ~70 KB to every zip', () => {
    const offenders = sourceFiles(join(ROOT, 'src'))
      .filter((f) => !f.endsWith(join('src', 'schema', 'zod.ts')))
      .filter((f) => /from\s*['"]zod(\/[^'"]*)?['"]/.test(readFileSync(f, 'utf8')) || /^import\s*\{[^}]*\}\s*from\s*['"][./]+\/schema\/zod['"]/m.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test("a monitor's registry keeps the lines of its own checks, and a line it cannot read fails the build", () => {
    const registry = ['// Every check.', "export { a } from './deletion/check-a';", "export { b } from './rotation/check-b';", ''].join('\n');
    expect(plugins.registryOf(registry, new Set(['check-b']), 'rotationMonitor')).toBe(['// Every check.', "export { b } from './rotation/check-b';", ''].join('\n'));
    expect(() => plugins.registryOf(registry, new Set(['check-c']), 'rotationMonitor')).toThrow(/no line for check-c, run by rotationMonitor/);
    expect(() => plugins.registryOf(`${registry}export * from './other';\n`, new Set(['check-b']), 'rotationMonitor')).toThrow(/cannot read the check of "export \* from '.\/other';"/);
  });

  test('only credential sources the SDK loads lazily stay out of the bundle', () => {
    expect(plugins.RUNTIME_CREDENTIAL_SOURCES).not.toContain('@aws-sdk/credential-provider-env');
    expect(plugins.RUNTIME_CREDENTIAL_SOURCES).not.toContain('@aws-sdk/credential-provider-node');
    // Clients of optional features, imported lazily where they are on.
    expect(plugins.OPT_IN_CLIENTS).toContain('@aws-sdk/client-securityhub');
  });
});

describe('serverless package with a bad parameter', () => {
  test('fails with a message that names the parameter and the value, without a stack trace', () => {
    const result = failedRun('badEmail'); // run by globalSetup
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('Invalid deploy parameter alertEmails: "not-an-email" is not an email address');
    expect(result.output).not.toMatch(/\n\s+at .*emailSubscriptions\.js/);
  });
});
