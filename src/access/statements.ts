import { decodeIdentityPolicy, readPolicyDocument, WorkBudget } from '../policy';
import { globMatches } from '../policy/glob';
import { describeCondition } from '../policy/resourceConditions';
import { normalizeStatement, statementLabel } from '../policy/statement';
import type { Principal } from '../policy/types';

/** A statement of a resource-based policy (a secret's, a key's, a role's trust policy), reduced to what access needs. */
export interface PrincipalStatement {
  effect: 'Allow' | 'Deny';
  statement: string;
  principals: Principal[];
  notPrincipal: boolean;
  /** The actions of interest it applies to, as AWS spells them. */
  actions: string[];
  conditions: string[];
}

/**
 * The statements of a policy with a Principal that apply to any of `actions` (lower case). The
 * Resource element is not read: in a secret's or a key's policy it can only be that resource, and
 * a trust policy has none. Throws PolicyError.
 */
export function principalStatements(document: string, actions: readonly string[]): PrincipalStatement[] {
  const budget = new WorkBudget();
  const { statements } = readPolicyDocument(decodeIdentityPolicy(document), budget);
  const out: PrincipalStatement[] = [];
  statements.forEach((raw, index) => {
    const s = normalizeStatement(raw, index, budget);
    const patterns = s.actions.map((a) => a.trim().toLowerCase());
    const matched = actions.filter((action) => patterns.some((p) => globMatches(p, action, budget)) !== s.notAction);
    if (matched.length === 0) return;
    out.push({
      effect: s.effect,
      statement: statementLabel(index, s.sid),
      principals: s.principals,
      notPrincipal: s.notPrincipal,
      actions: matched.map(spelled),
      conditions: s.conditions.map(describeCondition),
    });
  });
  return out;
}

/** sts:assumerolewithsaml -> sts:AssumeRoleWithSAML */
const SPELLING = new Map(['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'secretsmanager:GetSecretValue', 'kms:Decrypt'].map((a) => [a.toLowerCase(), a]));
function spelled(action: string): string {
  return SPELLING.get(action) ?? action;
}

/** The statement applies to the principal: Principal names it, or NotPrincipal does not. */
export function appliesTo(statement: PrincipalStatement, covers: (p: Principal) => boolean): boolean {
  return statement.principals.some(covers) !== statement.notPrincipal;
}
