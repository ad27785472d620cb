'use strict';

// Variable resolver for serverless.yml: the monitors' settings from deploy parameters, validated
// with the monitors' own schema (src/config/config.ts, compiled on the fly with esbuild) so that a
// bad value fails `serverless package` with the setting's name instead of every cold start.
// Returns the Lambda environment variables, normalised (e.g. NOTIFY_MIN_SEVERITY upper-cased).
// It also rejects --param names that serverless.yml does not declare: a misspelt parameter would
// otherwise be ignored silently (e.g. no email subscriptions).

const { parameterError } = require('./errors');
const { loadTypeScript } = require('./typescript');

/** Deploy parameter -> config setting; the environment variable is envName(setting). */
const SETTINGS = {
  notifyMinSeverity: 'notifyMinSeverity',
  minRecoveryWindowDays: 'minRecoveryWindowDays',
  trustedAccounts: 'trustedAccounts',
  trustedOrgId: 'trustedOrgId',
  approvedRegions: 'approvedRegions',
  identityExemptPrincipals: 'identityExemptPrincipals',
  metricNamespace: 'metricNamespace',
  remediatePublicPolicy: 'remediatePublicPolicy',
  confirmWithAccessAnalyzer: 'confirmWithAccessAnalyzer',
  maxRotationDays: 'maxRotationDays',
  unusedDays: 'unusedDays',
  requireCustomerManagedKey: 'requireCustomerManagedKey',
  scanIntervalHours: 'scanIntervalHours',
  scanListSecretsPerSecond: 'scanListSecretsPerSecond',
  scanLookupsPerSecond: 'scanLookupsPerSecond',
  fullDigestWeekday: 'fullDigestWeekday',
  slackWebhookSecretArn: 'slackWebhookSecretArn',
  slackMinSeverity: 'slackMinSeverity',
  emailMinSeverity: 'emailMinSeverity',
  securityHub: 'securityHub',
  slackResolved: 'slackResolved',
};
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

/** src/config/config.ts as a CommonJS module (bundled with zod by esbuild, in memory). */
function loadConfigModule() {
  return loadTypeScript('src/config/config.ts', { bundleDependencies: true });
}

/** params: deploy parameter name -> value (strings, as resolved). */
function settingsEnvironment(params) {
  const { configFromEnv, envName, ConfigError } = loadConfigModule();
  const env = {};
  for (const [param, setting] of Object.entries(SETTINGS)) {
    if (params[param] != null) env[envName(setting)] = String(params[param]);
  }
  let config;
  try {
    config = configFromEnv(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const param = Object.keys(SETTINGS).find((p) => envName(SETTINGS[p]) === error.setting);
    throw parameterError(`Invalid deploy parameter ${param ?? error.setting}: ${error.message}`);
  }
  const logLevel = String(params.logLevel ?? 'INFO')
    .trim()
    .toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw parameterError(`Invalid deploy parameter logLevel: "${params.logLevel}" (expected one of ${LOG_LEVELS.join(', ')})`);
  }
  return {
    [envName('notifyMinSeverity')]: config.notifyMinSeverity,
    [envName('minRecoveryWindowDays')]: String(config.minRecoveryWindowDays),
    [envName('trustedAccounts')]: config.trustedAccounts.join(','),
    [envName('trustedOrgId')]: config.trustedOrgId ?? '',
    [envName('approvedRegions')]: config.approvedRegions.join(','),
    [envName('identityExemptPrincipals')]: config.identityExemptPrincipals.join(','),
    [envName('metricNamespace')]: config.metricNamespace,
    [envName('remediatePublicPolicy')]: String(config.remediatePublicPolicy),
    [envName('confirmWithAccessAnalyzer')]: String(config.confirmWithAccessAnalyzer),
    [envName('maxRotationDays')]: String(config.maxRotationDays),
    [envName('unusedDays')]: String(config.unusedDays),
    [envName('requireCustomerManagedKey')]: String(config.requireCustomerManagedKey),
    [envName('scanIntervalHours')]: String(config.scanIntervalHours),
    [envName('scanListSecretsPerSecond')]: String(config.scanListSecretsPerSecond),
    [envName('scanLookupsPerSecond')]: String(config.scanLookupsPerSecond),
    [envName('fullDigestWeekday')]: config.fullDigestWeekday,
    [envName('slackWebhookSecretArn')]: config.slackWebhookSecretArn ?? '',
    [envName('slackMinSeverity')]: config.slackMinSeverity,
    [envName('emailMinSeverity')]: config.emailMinSeverity,
    [envName('securityHub')]: String(config.securityHub),
    [envName('slackResolved')]: String(config.slackResolved),
    LOG_LEVEL: logLevel,
  };
}

/** EventBridge wants the singular for one: rate(1 hour), rate(24 hours). */
function scanSchedule(hours) {
  return `rate(${hours} ${hours === 1 ? 'hour' : 'hours'})`;
}

/** `--param` names must be declared under params.default in serverless.yml. */
function checkParamNames(cliParams, declared) {
  for (const item of cliParams ?? []) {
    const name = String(item).split('=')[0];
    if (!declared.includes(name)) {
      throw parameterError(`Unknown deploy parameter "${name}" (known: ${declared.join(', ')})`);
    }
  }
}

module.exports = async ({ options, resolveVariable, resolveConfigurationProperty }) => {
  const declared = Object.keys((await resolveConfigurationProperty(['params', 'default'])) ?? {});
  checkParamNames(options.param, declared);
  const params = {};
  for (const name of [...Object.keys(SETTINGS), 'logLevel']) params[name] = await resolveVariable(`param:${name}`);
  return settingsEnvironment(params);
};
module.exports.settingsEnvironment = settingsEnvironment;
module.exports.checkParamNames = checkParamNames;
module.exports.scanSchedule = scanSchedule;
