import { ConfigError, configFromEnv, configFromObject, DEFAULT_CONFIG, envName } from '../../src/config/config';
import { createLambdaHandler } from '../../src/runtime/lambdaHandler';
import { deletionMonitor } from '../../src/monitors';

test('defaults are those of DESIGN section 6', () => {
  expect(DEFAULT_CONFIG).toEqual({
    maxRotationDays: 90,
    minRecoveryWindowDays: 30,
    unusedDays: 90,
    trustedAccounts: [],
    requireCustomerManagedKey: false,
    notifyMinSeverity: 'LOW',
    metricNamespace: 'SecretWatch',
    scanIntervalHours: 24,
  });
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
])('an invalid value names its setting: %o', (env, name) => {
  expect(() => configFromEnv(env)).toThrow(ConfigError);
  expect(() => configFromEnv(env)).toThrow(`invalid setting ${name}:`);
});

test('a config file with an unknown key is refused, not ignored', () => {
  expect(() => configFromObject({ maxRotationDay: 30 })).toThrow('invalid setting config.maxRotationDay: unknown setting');
});

test('the Lambda handler refuses to start without its alert topic, naming the variable', () => {
  expect(() => createLambdaHandler(deletionMonitor, {})).toThrow('invalid setting ALERT_TOPIC_ARN');
  expect(() => createLambdaHandler(deletionMonitor, { ALERT_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:a', MIN_RECOVERY_WINDOW_DAYS: 'x' })).toThrow(
    'invalid setting MIN_RECOVERY_WINDOW_DAYS',
  );
});
