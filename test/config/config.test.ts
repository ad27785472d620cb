import { ConfigError, configFromEnv, configFromObject, DEFAULT_CONFIG, envName } from '../../src/config/config';
import { deletionMonitor } from '../../src/monitors';
import { createLambdaHandler } from '../../src/runtime/lambdaHandler';

test('defaults are the documented ones', () => {
  expect(DEFAULT_CONFIG).toEqual({
    approvedRegions: [],
    identityExemptPrincipals: [],
    maxRotationDays: 90,
    minRecoveryWindowDays: 30,
    unusedDays: 90,
    trustedAccounts: [],
    scanAccounts: [],
    scanOrganization: false,
    scanRegions: [],
    requireCustomerManagedKey: false,
    remediatePublicPolicy: false,
    confirmWithAccessAnalyzer: false,
    notifyMinSeverity: 'LOW',
    metricNamespace: 'SecretWatch',
    scanIntervalHours: 24,
    scanListSecretsPerSecond: 80,
    scanLookupsPerSecond: 40,
    fullDigestWeekday: 'MONDAY',
    slackMinSeverity: 'MEDIUM',
    emailMinSeverity: 'HIGH',
    securityHub: false,
    slackResolved: false,
  });
});

test('securityHubProductArn must be a default product ARN, naming the setting', () => {
  expect(configFromEnv({ SECURITY_HUB: 'true', SECURITY_HUB_PRODUCT_ARN: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default' })).toMatchObject({ securityHub: true });
  expect(() => configFromEnv({ SECURITY_HUB_PRODUCT_ARN: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty' })).toThrow(
    'invalid setting SECURITY_HUB_PRODUCT_ARN: must be a default Security Hub product ARN',
  );
  expect(() => configFromEnv({ SECURITY_HUB: 'maybe' })).toThrow('invalid setting SECURITY_HUB: must be true or false');
});

test('environment variables are the settings in upper snake case', () => {
  expect(envName('maxRotationDays')).toBe('MAX_ROTATION_DAYS');
  expect(envName('alertTopicArn')).toBe('ALERT_TOPIC_ARN');
  const config = configFromEnv({
    MAX_ROTATION_DAYS: '30',
    TRUSTED_ACCOUNTS: '111122223333, 444455556666',
    NOTIFY_MIN_SEVERITY: 'high',
    REQUIRE_CUSTOMER_MANAGED_KEY: 'true',
    ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:alerts',
    FINDINGS_BUS_NAME: '',
    UNRELATED: 'x',
  });
  expect(config).toMatchObject({
    maxRotationDays: 30,
    trustedAccounts: ['111122223333', '444455556666'],
    notifyMinSeverity: 'HIGH',
    requireCustomerManagedKey: true,
    alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts',
    findingsBusName: undefined,
  });
});

test.each([
  [{ MAX_ROTATION_DAYS: 'ninety' }, 'MAX_ROTATION_DAYS'],
  [{ MAX_ROTATION_DAYS: '0' }, 'MAX_ROTATION_DAYS'],
  [{ MIN_RECOVERY_WINDOW_DAYS: '31' }, 'MIN_RECOVERY_WINDOW_DAYS'],
  [{ TRUSTED_ACCOUNTS: '1234' }, 'TRUSTED_ACCOUNTS'],
  [{ NOTIFY_MIN_SEVERITY: 'URGENT' }, 'NOTIFY_MIN_SEVERITY'],
  [{ REQUIRE_CUSTOMER_MANAGED_KEY: 'maybe' }, 'REQUIRE_CUSTOMER_MANAGED_KEY'],
  [{ ALERT_TOPIC_ARN: 'my-topic' }, 'ALERT_TOPIC_ARN'],
  [{ TRUSTED_ORG_ID: 'org-1' }, 'TRUSTED_ORG_ID'],
  [{ FULL_DIGEST_WEEKDAY: 'MO' }, 'FULL_DIGEST_WEEKDAY'],
  [{ FULL_DIGEST_WEEKDAY: 'weekend' }, 'FULL_DIGEST_WEEKDAY'],
  [{ SCAN_INTERVAL_HOURS: '169' }, 'SCAN_INTERVAL_HOURS'],
  [{ REMEDIATE_PUBLIC_POLICY: 'sometimes' }, 'REMEDIATE_PUBLIC_POLICY'],
  [{ CONFIRM_WITH_ACCESS_ANALYZER: '2' }, 'CONFIRM_WITH_ACCESS_ANALYZER'],
])('an invalid value names its setting: %o', (env, name) => {
  expect(() => configFromEnv(env)).toThrow(ConfigError);
  expect(() => configFromEnv(env)).toThrow(`invalid setting ${name}:`);
});

test('a config file with an unknown key is refused, not ignored', () => {
  expect(() => configFromObject({ maxRotationDay: 30 })).toThrow('invalid setting config.maxRotationDay: unknown setting');
});

test('the Lambda handler refuses to start without its alert topic, naming the variable', () => {
  expect(() => createLambdaHandler(deletionMonitor, {})).toThrow('invalid setting ALERT_TOPIC_ARN');
  expect(() => createLambdaHandler(deletionMonitor, { ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:a', MIN_RECOVERY_WINDOW_DAYS: 'x' })).toThrow('invalid setting MIN_RECOVERY_WINDOW_DAYS');
});

test('the policyMonitor switches are off by default and read like every boolean setting', () => {
  expect(configFromEnv({})).toMatchObject({ remediatePublicPolicy: false, confirmWithAccessAnalyzer: false });
  expect(configFromEnv({ REMEDIATE_PUBLIC_POLICY: 'true', CONFIRM_WITH_ACCESS_ANALYZER: 'On' })).toMatchObject({ remediatePublicPolicy: true, confirmWithAccessAnalyzer: true });
  expect(configFromObject({ remediatePublicPolicy: false, confirmWithAccessAnalyzer: 'no' })).toMatchObject({ remediatePublicPolicy: false, confirmWithAccessAnalyzer: false });
});

test('the weekly digest day reads as a name or its first three letters, in any case', () => {
  expect(configFromEnv({ FULL_DIGEST_WEEKDAY: ' friday ' }).fullDigestWeekday).toBe('FRIDAY');
  expect(configFromEnv({ FULL_DIGEST_WEEKDAY: 'Sun' }).fullDigestWeekday).toBe('SUNDAY');
  expect(configFromObject({ fullDigestWeekday: 'WED' }).fullDigestWeekday).toBe('WEDNESDAY');
});

describe('scanOrganization', () => {
  test('read from SCAN_ORGANIZATION like any boolean setting', () => {
    expect(configFromEnv({ SCAN_ORGANIZATION: 'true' }).scanOrganization).toBe(true);
    expect(configFromEnv({ SCAN_ORGANIZATION: '' }).scanOrganization).toBe(false);
    expect(() => configFromEnv({ SCAN_ORGANIZATION: 'everything' })).toThrow('invalid setting SCAN_ORGANIZATION: must be true or false');
  });

  test("refused together with scanAccounts, naming the setting in the caller's terms", () => {
    expect(() => configFromEnv({ SCAN_ORGANIZATION: 'true', SCAN_ACCOUNTS: '222233334444' })).toThrow(
      new ConfigError('SCAN_ORGANIZATION', 'cannot be combined with scanAccounts: the organization already lists every account (choose one)'),
    );
    expect(() => configFromObject({ scanOrganization: true, scanAccounts: ['222233334444'] }, 'secretwatch.config.json')).toThrow(
      'invalid setting secretwatch.config.json.scanOrganization: cannot be combined with scanAccounts',
    );
    expect(configFromEnv({ SCAN_ORGANIZATION: 'false', SCAN_ACCOUNTS: '222233334444' }).scanAccounts).toEqual(['222233334444']);
  });
});

test('identityExemptPrincipals: comma-separated IAM ARN patterns; anything else is refused, naming the variable', () => {
  expect(configFromEnv({ IDENTITY_EXEMPT_PRINCIPALS: ' arn:aws:iam::111122223333:role/break-glass* , arn:aws:iam::*:role/deploy-?,' }).identityExemptPrincipals).toEqual([
    'arn:aws:iam::111122223333:role/break-glass*',
    'arn:aws:iam::*:role/deploy-?',
  ]);
  for (const bad of ['break-glass', 'arn:aws:s3:::bucket', 'arn:aws:iam::111122223333:role/a b']) {
    expect(() => configFromEnv({ IDENTITY_EXEMPT_PRINCIPALS: bad })).toThrow(/^invalid setting IDENTITY_EXEMPT_PRINCIPALS: must be IAM ARN patterns/);
  }
});
