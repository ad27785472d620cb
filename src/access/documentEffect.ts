import { analyzeIdentityDocument, analyzeIdentityPolicy, decodeIdentityPolicy, PolicyError, readPolicyDocument, type SecretScope, WorkBudget } from '../policy';
import { isPlainObject } from '../policy/fields';
import { statementLabel } from '../policy/statement';

/** A statement that allows or denies GetSecretValue on the secret, and what must hold for it to apply. */
export interface StatementEffect {
  statement: string;
  /** Empty: it applies to every request for the secret. */
  conditions: string[];
}

/** What one identity-based policy does to GetSecretValue on one secret. */
export interface DocumentEffect {
  /** Allow statements that still grant it once the document's own certain Denies are taken off. */
  allows: StatementEffect[];
  /** Deny statements that take it off, always (no conditions) or under conditions. */
  denies: StatementEffect[];
  /** Why the document could not be analysed; then it counts as granting and denying nothing. */
  error: string | null;
}

/**
 * The Allows come from the identity-policy analyzer as they are. A Deny is read by the same
 * analyzer as the Allow it would be: whether it reaches the secret and GetSecretValue, and which
 * of its conditions the secret's name and tags do not decide. Denies must be known on their own
 * because a Deny in any policy of a principal (or its boundary) removes an Allow of any other.
 */
export function documentEffect(document: string, scope: SecretScope): DocumentEffect {
  try {
    const allows = analyzeIdentityPolicy(document, scope, new WorkBudget())
      .grants.filter((g) => g.reads)
      .map(effectOf);
    const budget = new WorkBudget();
    const { statements } = readPolicyDocument(decodeIdentityPolicy(document), budget);
    const denies: StatementEffect[] = [];
    statements.forEach((raw, index) => {
      const asAllow = denyAsAllow(raw);
      if (!asAllow) return;
      const single = { document: { Statement: asAllow }, statements: [asAllow], singleStatement: true };
      for (const grant of analyzeIdentityDocument(single, scope, budget).grants) {
        if (grant.reads) denies.push(effectOf({ ...grant, index }));
      }
    });
    return { allows, denies, error: null };
  } catch (error) {
    if (error instanceof PolicyError) return { allows: [], denies: [], error: error.message };
    throw error;
  }
}

function effectOf(grant: { index: number; sid: string | null; narrowing: string[]; otherConditions: string[] }): StatementEffect {
  return { statement: statementLabel(grant.index, grant.sid), conditions: [...grant.narrowing, ...grant.otherConditions] };
}

/** A copy of a Deny statement with Effect Allow; null for anything else (the analyzer has already judged it). */
function denyAsAllow(raw: unknown): Record<string, unknown> | null {
  if (!isPlainObject(raw)) return null;
  const key = Object.keys(raw).find((k) => k.toLowerCase() === 'effect');
  const effect = key === undefined ? undefined : raw[key];
  if (key === undefined || typeof effect !== 'string' || effect.trim().toLowerCase() !== 'deny') return null;
  return { ...raw, [key]: 'Allow' };
}
