'use strict';

// Variable resolver for serverless.yml: the email subscriptions.
// - One AWS::SNS::Subscription (protocol email) on the alert topic per address in the
//   `alertEmails` deploy parameter (comma-separated, zero or more), with a filter policy that lets
//   through alerts at or above `emailMinSeverity` (default HIGH): a mailbox gets what a person
//   should read, Slack and the findings bus get the rest.
// - One on the ops topic (the stack's CloudWatch alarms) per address in `opsEmails`; empty: the
//   `alertEmails` addresses, so that whoever gets the alerts also hears when the monitor is broken.
// A bad address fails packaging with a message that names it.

const { createHash } = require('node:crypto');
const { parameterError } = require('./errors');
const { loadTypeScript } = require('./typescript');

// Pragmatic RFC 5321 subset: what SNS accepts as an email endpoint and what a person types.
const LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${LOCAL}@(?:${LABEL}\\.)+[A-Za-z]{2,63}$`);

/** Parses and validates the parameter's value; returns the addresses in order. */
function parseAlertEmails(value, parameter = 'alertEmails') {
  if (value == null) return [];
  const text = String(value).trim();
  if (!text) return [];
  const addresses = text.split(',').map((s) => s.trim());
  const seen = new Set();
  for (const [i, address] of addresses.entries()) {
    if (!address) {
      throw parameterError(`Invalid deploy parameter ${parameter}: entry ${i + 1} is empty in "${text}" (separate addresses with single commas)`);
    }
    if (address.length > 254 || !EMAIL.test(address)) {
      throw parameterError(`Invalid deploy parameter ${parameter}: "${address}" is not an email address (expected e.g. --param "${parameter}=secops@example.com,oncall@example.com")`);
    }
    const key = address.toLowerCase();
    if (seen.has(key)) throw parameterError(`Invalid deploy parameter ${parameter}: "${address}" is listed twice`);
    seen.add(key);
  }
  return addresses;
}

/**
 * The logical id comes from the address, not its position: adding or removing one address leaves
 * the other subscriptions (and their confirmations) untouched.
 */
function subscriptionLogicalId(address, prefix = 'AlertEmailSubscription') {
  return `${prefix}${createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 12).toUpperCase()}`;
}

/** SNS compares message attributes: severityRank is a Number attribute of every alert and digest. */
function emailFilterPolicy(minSeverity) {
  const { severityRank } = loadTypeScript('src/findings/severity.ts');
  return { severityRank: [{ numeric: ['>=', severityRank(minSeverity)] }] };
}

/** minSeverity: the validated emailMinSeverity (serverless/settings.js); opsAddresses: null for "the alert addresses". */
function subscriptionResources(addresses, minSeverity = 'HIGH', opsAddresses = null) {
  const Resources = {};
  for (const address of addresses) {
    Resources[subscriptionLogicalId(address)] = {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'AlertTopic' },
        Protocol: 'email',
        Endpoint: address,
        FilterPolicyScope: 'MessageAttributes',
        FilterPolicy: emailFilterPolicy(minSeverity),
      },
    };
  }
  for (const address of opsAddresses?.length ? opsAddresses : addresses) {
    Resources[subscriptionLogicalId(address, 'OpsEmailSubscription')] = {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'OpsTopic' }, Protocol: 'email', Endpoint: address },
    };
  }
  return { Resources };
}

module.exports = async ({ resolveVariable }) =>
  subscriptionResources(
    parseAlertEmails(await resolveVariable('param:alertEmails')),
    await resolveVariable('self:custom.settings.EMAIL_MIN_SEVERITY'),
    parseAlertEmails(await resolveVariable('param:opsEmails'), 'opsEmails'),
  );
module.exports.parseAlertEmails = parseAlertEmails;
module.exports.subscriptionLogicalId = subscriptionLogicalId;
module.exports.subscriptionResources = subscriptionResources;
module.exports.emailFilterPolicy = emailFilterPolicy;
