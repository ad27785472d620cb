import type { WorkBudget } from './budget';
import { PolicyError } from './errors';
import { isPlainObject } from './fields';
import { hasWildcard } from './glob';
import { quoted, typeName } from './text';
import type { Principal } from './types';

const ACCOUNT_ID = /^\d{12}$/;

/** The account field of an ARN (arn:partition:service:region:account:resource), or null. */
export function arnAccount(arn: string): string | null {
  if (!arn.startsWith('arn:')) return null;
  // Scanning for the colons, not split(): this runs for every principal of a 10,000-statement policy.
  let start = 4;
  for (let field = 1; field < 4; field++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return null;
    start = colon + 1;
  }
  const end = arn.indexOf(':', start);
  return end < 0 ? null : arn.slice(start, end);
}

/**
 * An "AWS" principal: "*", an account id, or an ARN (root, role, user, assumed role...). IAM
 * accepts no wildcard in a principal ARN other than "*" alone; one that got there anyway is read
 * as the wildcard it is. A value with no account (a unique id left behind when the principal was
 * deleted) is kept as unknown.
 */
function awsPrincipal(raw: string): Principal {
  const value = raw.trim();
  if (value === '*') return { kind: 'any', value, account: null };
  if (ACCOUNT_ID.test(value)) return { kind: 'account', value, account: value };
  const account = arnAccount(value);
  if (account !== null) {
    if (hasWildcard(account)) return { kind: 'any', value, account: null };
    if (ACCOUNT_ID.test(account)) return { kind: 'account', value, account };
    return { kind: 'unknown', value, account: null };
  }
  if (hasWildcard(value)) return { kind: 'any', value, account: null };
  return { kind: 'unknown', value, account: null };
}

/** An "AWS" principal entry that stands for anyone: "*", or a wildcard where an account or ARN goes. */
export function isAnyAwsPrincipal(value: string): boolean {
  return awsPrincipal(value).kind === 'any';
}

/** A SAML or OIDC provider in an IAM account is that account's; a public identity provider (accounts.google.com) is anyone's. */
function federatedPrincipal(raw: string): Principal {
  const value = raw.trim();
  const account = arnAccount(value);
  return { kind: 'federated', value, account: account !== null && ACCOUNT_ID.test(account) ? account : null };
}

function principalOfType(type: string, value: string, label: () => string): Principal {
  switch (type.toLowerCase()) {
    case 'aws':
      return awsPrincipal(value);
    case 'service':
      return { kind: 'service', value: value.trim(), account: null };
    case 'federated':
      return federatedPrincipal(value);
    case 'canonicaluser':
      // An S3 canonical user id does not say which account it belongs to.
      return { kind: 'unknown', value: value.trim(), account: null };
    default:
      throw new PolicyError('invalid-principal', `${label()}: unknown principal type ${quoted(type)} (expected AWS, Service, Federated or CanonicalUser)`);
  }
}

/** Principal or NotPrincipal: "*", or an object of type -> a string or a list of strings. */
export function parsePrincipals(value: unknown, label: () => string, budget: WorkBudget): Principal[] {
  budget.spend(1);
  if (typeof value === 'string') return [awsPrincipal(value)];
  if (!isPlainObject(value)) throw new PolicyError('invalid-principal', `${label()}: expected "*" or an object, got ${typeName(value)}`);
  const principals: Principal[] = [];
  for (const type of Object.keys(value)) {
    const entries = value[type];
    const list = typeof entries === 'string' ? [entries] : entries;
    if (!Array.isArray(list)) throw new PolicyError('invalid-principal', `${label()}: ${quoted(type)}: expected a string or a list of strings, got ${typeName(entries)}`);
    budget.spend(list.length + 1);
    for (const entry of list) {
      if (typeof entry !== 'string') throw new PolicyError('invalid-principal', `${label()}: ${quoted(type)}: expected strings, got ${typeName(entry)}`);
      principals.push(principalOfType(type, entry, label));
    }
  }
  return principals;
}
