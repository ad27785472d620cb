import { isPinningKey, POSITIVE_OF_NEGATED } from './pins';
import { statementLabel } from './statement';
import type { ConditionEntry, Statement } from './types';

/**
 * A Deny statement that narrows every Allow it covers: a perimeter, as AWS's data-perimeter
 * examples write it ("deny secretsmanager:* to everyone unless aws:PrincipalOrgID is ours").
 */
export interface Guardrail {
  statement: Statement;
  /** The actions it denies (ActionMatcher.actionMask): it narrows only an Allow of no other action. */
  mask: number;
  /**
   * What a caller must satisfy to get past it, as the positive condition an Allow would carry;
   * null for a Deny without a condition, which nobody gets past.
   */
  condition: ConditionEntry | null;
}

/**
 * The guardrail a Deny statement is, or null. Credited only in the one shape whose effect is
 * exact: to everyone (Principal "*"), on the whole secret (Resource "*"), and unless one
 * condition key, under a negated operator without a set qualifier, has one of its values, or
 * always. Such a Deny lets through exactly the callers for whom its condition is false: the key is
 * present (a negated operator is true for a request without it, so the Deny applies) and matches,
 * which is the positive operator (StringNotEquals -> StringEquals). Every other Deny is left
 * uncredited, which can only overstate access: several keys (the Deny ANDs them, so it lets an OR
 * through), ForAnyValue / ForAllValues, NotPrincipal or named principals, NotResource or a named
 * resource, a key that does not identify the caller.
 */
export function guardrailOf(deny: Statement, actionMask: (statement: Statement) => number): Guardrail | null {
  if (deny.effect !== 'Deny' || deny.notPrincipal || !deny.resourceIsAny) return null;
  if (!deny.principals.some((p) => p.kind === 'any' && p.value === '*')) return null;
  if (deny.conditions.length === 0) return { statement: deny, mask: actionMask(deny), condition: null };
  if (deny.conditions.length !== 1) return null;
  const c = deny.conditions[0];
  const positive = POSITIVE_OF_NEGATED.get(c.base);
  if (positive === undefined || c.qualifier !== null || !isPinningKey(c.keyLower)) return null;
  return { statement: deny, mask: actionMask(deny), condition: { ...c, base: positive, ifExists: false, via: `the Deny of ${statementLabel(deny.index, deny.sid)}` } };
}
