'use strict';

// Variable resolver for serverless.yml: one AWS::SNS::Subscription (protocol email) on the alert
// topic per address in the `alertEmails` deploy parameter (comma-separated, zero or more).
// A bad address fails packaging with a message that names it.

const { createHash } = require('node:crypto');
const { parameterError } = require('./errors');

// Pragmatic RFC 5321 subset: what SNS accepts as an email endpoint and what a person types.
const LOCAL = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const EMAIL = new RegExp(`^${LOCAL}@(?:${LABEL}\\.)+[A-Za-z]{2,63}$`);

/** Parses and validates the parameter's value; returns the addresses in order. */
function parseAlertEmails(value) {
  if (value == null) return [];
  const text = String(value).trim();
  if (!text) return [];
  const addresses = text.split(',').map((s) => s.trim());
  const seen = new Set();
  for (const [i, address] of addresses.entries()) {
    if (!address) {
      throw parameterError(`Invalid deploy parameter alertEmails: entry ${i + 1} is empty in "${text}" (separate addresses with single commas)`);
    }
    if (address.length > 254 || !EMAIL.test(address)) {
      throw parameterError(`Invalid deploy parameter alertEmails: "${address}" is not an email address (expected e.g. --param "alertEmails=secops@example.com,oncall@example.com")`);
    }
    const key = address.toLowerCase();
    if (seen.has(key)) throw parameterError(`Invalid deploy parameter alertEmails: "${address}" is listed twice`);
    seen.add(key);
  }
  return addresses;
}

/**
 * The logical id comes from the address, not its position: adding or removing one address leaves
 * the other subscriptions (and their confirmations) untouched.
 */
function subscriptionLogicalId(address) {
  return `AlertEmailSubscription${createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 12).toUpperCase()}`;
}

function subscriptionResources(addresses, topicLogicalId = 'AlertTopic') {
  const Resources = {};
  for (const address of addresses) {
    Resources[subscriptionLogicalId(address)] = {
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: topicLogicalId }, Protocol: 'email', Endpoint: address },
    };
  }
  return { Resources };
}

module.exports = async ({ resolveVariable }) => subscriptionResources(parseAlertEmails(await resolveVariable('param:alertEmails')));
module.exports.parseAlertEmails = parseAlertEmails;
module.exports.subscriptionLogicalId = subscriptionLogicalId;
module.exports.subscriptionResources = subscriptionResources;
