import { PolicyError } from '../policy';
import { principalTypeOf } from './principalType';
import { principalStatements } from './statements';
import type { TrustedEntity } from './types';

const ASSUME_ACTIONS = ['sts:assumerole', 'sts:assumerolewithsaml', 'sts:assumerolewithwebidentity'];

/**
 * Who a role's trust policy lets assume it: each principal of an Allow statement for one of the
 * AssumeRole actions, with the statement's conditions. A NotPrincipal Allow lets anyone else in.
 * A trust Deny is shown as a condition on every entity it could apply to. Throws PolicyError.
 */
export function trustedEntities(trustPolicy: string): TrustedEntity[] {
  const statements = principalStatements(trustPolicy, ASSUME_ACTIONS);
  const denies = statements.filter((s) => s.effect === 'Deny').map((s) => `unless trust policy ${s.statement} denies it${s.conditions.length ? ` when ${s.conditions.join(' and ')}` : ''}`);
  const entities: TrustedEntity[] = [];
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    const conditions = [...s.conditions, ...denies];
    if (s.notPrincipal) {
      const except = s.principals.map((p) => p.value).join(', ');
      entities.push({ principal: '*', type: 'Anyone', account: null, actions: s.actions, statement: s.statement, conditions: [`except ${except}`, ...conditions] });
      continue;
    }
    for (const p of s.principals) {
      entities.push({ principal: p.value, type: principalTypeOf(p), account: p.account, actions: s.actions, statement: s.statement, conditions });
    }
  }
  return entities;
}

/** The same, never throwing: an unreadable trust policy is reported, not fatal. */
export function readTrust(trustPolicy: string | undefined): { entities: TrustedEntity[]; error: string | null } {
  if (!trustPolicy) return { entities: [], error: null };
  try {
    return { entities: trustedEntities(trustPolicy), error: null };
  } catch (error) {
    if (error instanceof PolicyError) return { entities: [], error: error.message };
    throw error;
  }
}
