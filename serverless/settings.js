'use strict';

// Variable resolver for serverless.yml: the monitors' settings from deploy parameters, validated
// with the monitors' own schema (src/config/config.ts, compiled on the fly with esbuild) so that a
// bad value fails `serverless package` with the setting's name instead of every cold start.
// Returns the Lambda environment variables, normalised (e.g. NOTIFY_MIN_SEVERITY upper-cased).
// It also rejects --param names that serverless.yml does not declare: a misspelt parameter would
// otherwise be ignored silently (e.g. no email subscriptions).

const path = require('node:path');
const Module = require('node:module');
const { parameterError } = require('./errors');

/** Deploy parameter -> config setting; the environment variable is envName(setting). */
const SETTINGS = {
  notifyMinSeverity: 'notifyMinSeverity',
  minRecoveryWindowDays: 'minRecoveryWindowDays',
  trustedAccounts: 'trustedAccounts',
  trustedOrgId: 'trustedOrgId',
  metricNamespace: 'metricNamespace',
};
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

let configModule;
/** src/config/config.ts as a CommonJS module (bundled with zod by esbuild, in memory). */
function loadConfigModule() {
  if (configModule) return configModule;
  const esbuild = require('esbuild');
  const entry = path.join(__dirname, '..', 'src', 'config', 'config.ts');
  const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' });
  const mod = new Module(entry, module);
  mod.filename = entry;
  mod.paths = Module._nodeModulePaths(path.dirname(entry));
  mod._compile(out.outputFiles[0].text, entry);
  configModule = mod.exports;
  return configModule;
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
  const logLevel = String(params.logLevel ?? 'INFO').trim().toUpperCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    throw parameterError(`Invalid deploy parameter logLevel: "${params.logLevel}" (expected one of ${LOG_LEVELS.join(', ')})`);
  }
  return {
    [envName('notifyMinSeverity')]: config.notifyMinSeverity,
    [envName('minRecoveryWindowDays')]: String(config.minRecoveryWindowDays),
    [envName('trustedAccounts')]: config.trustedAccounts.join(','),
    [envName('trustedOrgId')]: config.trustedOrgId ?? '',
    [envName('metricNamespace')]: config.metricNamespace,
    LOG_LEVEL: logLevel,
  };
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
