import type { WorkBudget } from './budget';
import { globMatches } from './glob';
import { shorten } from './text';
import type { ConditionEntry } from './types';

/**
 * Condition keys that describe the secret being accessed: an identity statement conditioned on
 * them reaches only the secrets that match, not every secret of the account. Every other key
 * (aws:SourceIp, aws:SourceVpce, aws:MultiFactorAuthPresent, ...) limits how or from where the
 * caller may act, not which secrets.
 */
const SECRET_KEYS = new Set(['secretsmanager:name', 'secretsmanager:secretid']);
const TAG_KEY_PREFIXES = ['secretsmanager:resourcetag/', 'aws:resourcetag/'];

export function describesSecret(keyLower: string): boolean {
  return SECRET_KEYS.has(keyLower) || TAG_KEY_PREFIXES.some((prefix) => keyLower.startsWith(prefix) && keyLower.length > prefix.length);
}

/** The condition, in words: `StringEquals secretsmanager:ResourceTag/team = "payments"`. */
export function describeCondition(entry: ConditionEntry): string {
  const values = entry.values.slice(0, 5).map((v) => JSON.stringify(shorten(v, 80)));
  const more = entry.values.length > 5 ? ` and ${entry.values.length - 5} more` : '';
  return `${shorten(entry.operator, 60)} ${shorten(entry.key, 100)} = ${values.join(', ')}${more}`;
}

/**
 * A condition on the secret that every secret satisfies: a `*` pattern on its name or id. It names
 * the secret key, but narrows nothing.
 */
export function isVacuous(entry: ConditionEntry): boolean {
  return entry.base === 'stringlike' && entry.qualifier === null && SECRET_KEYS.has(entry.keyLower) && entry.values.length > 0 && entry.values.every((v) => /^\*+$/.test(v));
}

/** A concrete secret, as the conditions on it see it. */
export interface SecretFacts {
  arn: string;
  name: string;
  /** Tag keys lower-cased: condition key names, tag part included, compare case-insensitively. */
  tags: ReadonlyMap<string, string>;
}

/** What a condition says about one secret: it holds, it does not, or it depends on the request. */
export type Truth = 'true' | 'false' | 'unknown';

function valuesOf(entry: ConditionEntry, secret: SecretFacts): string[] | null {
  const key = entry.keyLower;
  if (key === 'secretsmanager:name') return [secret.name];
  // A caller may name the secret by ARN, by name or by partial ARN; any of them is this secret.
  if (key === 'secretsmanager:secretid') return [secret.arn, secret.name, secret.arn.replace(/-[A-Za-z0-9]{6}$/, '')];
  for (const prefix of TAG_KEY_PREFIXES) {
    if (key.startsWith(prefix)) {
      const value = secret.tags.get(key.slice(prefix.length));
      return value === undefined ? null : [value];
    }
  }
  return null;
}

/**
 * Evaluates a condition on the secret's name, id or tags against a concrete secret. Operators
 * whose result does not follow from the secret alone (set qualifiers, numeric, date) give unknown.
 */
export function evaluateOnSecret(entry: ConditionEntry, secret: SecretFacts, budget: WorkBudget): Truth {
  if (!describesSecret(entry.keyLower) || entry.qualifier !== null) return 'unknown';
  // A policy variable (${aws:PrincipalTag/team}) is the caller's, known only at request time.
  if (entry.values.some((v) => v.includes('${'))) return 'unknown';
  const actual = valuesOf(entry, secret);
  budget.spend(entry.values.length + 1);
  if (entry.base === 'null') {
    const wantsAbsent = entry.values.some((v) => v.toLowerCase() === 'true');
    const wantsPresent = entry.values.some((v) => v.toLowerCase() === 'false');
    return (actual === null ? wantsAbsent : wantsPresent) ? 'true' : 'false';
  }
  const positive = POSITIVE.get(entry.base);
  const negated = NEGATED.get(entry.base);
  if (!positive && !negated) return 'unknown';
  // A missing key fails every positive operator and satisfies every negated one; IfExists makes it pass.
  if (actual === null) return entry.ifExists || negated ? 'true' : 'false';
  const compare = (positive ?? negated) as Compare;
  const anyMatch = actual.some((a) => entry.values.some((v) => compare(v, a, budget)));
  return (positive ? anyMatch : !anyMatch) ? 'true' : 'false';
}

type Compare = (pattern: string, value: string, budget: WorkBudget) => boolean;
const equals: Compare = (p, v) => p === v;
const equalsIgnoreCase: Compare = (p, v) => p.toLowerCase() === v.toLowerCase();
const like: Compare = (p, v, budget) => globMatches(p, v, budget);
// Maps, not object literals: an operator named "constructor" in a hostile policy must find nothing.
const POSITIVE = new Map<string, Compare>([
  ['stringequals', equals],
  ['stringequalsignorecase', equalsIgnoreCase],
  ['stringlike', like],
]);
const NEGATED = new Map<string, Compare>([
  ['stringnotequals', equals],
  ['stringnotequalsignorecase', equalsIgnoreCase],
  ['stringnotlike', like],
]);
