import { PolicyError } from '../policy';
import type { Principal } from '../policy/types';
import { namesWholeAccount, principalCovers } from './principalType';
import { appliesTo, type PrincipalStatement, principalStatements } from './statements';
import type { SecretKey } from './types';

/** What the secret's key says about one reader. */
export type KeyVerdict = { blockedBy: string } | { blockedBy: null; conditions: string[] };

/**
 * Secrets Manager decrypts the secret with kms:Decrypt as the caller: the key's policy must let
 * the caller in, by name, or by naming its account (which delegates to that account's identity
 * policies), or by "*". A Deny of kms:Decrypt to the caller, without conditions, shuts it out.
 */
export class KeyAccess {
  private readonly statements: PrincipalStatement[] | null;
  readonly error: string | null;

  constructor(
    private readonly key: SecretKey | null,
    private readonly owner: string | null,
  ) {
    let statements: PrincipalStatement[] | null = null;
    let error: string | null = null;
    if (key?.manager === 'CUSTOMER') {
      if ('error' in key.policy) error = key.policy.error;
      else {
        try {
          statements = principalStatements(key.policy.document, ['kms:decrypt']);
        } catch (e) {
          if (!(e instanceof PolicyError)) throw e;
          error = e.message;
        }
      }
    }
    this.statements = statements;
    this.error = error;
  }

  get customerManaged(): boolean {
    return this.key?.manager === 'CUSTOMER';
  }

  verdict(arn: string, account: string | null): KeyVerdict {
    const key = this.key;
    if (key === null || key.manager === 'AWS') {
      // The AWS managed key's policy admits only principals of its own account.
      if (account !== this.owner) return { blockedBy: 'the secret is encrypted with the AWS managed key aws/secretsmanager, which principals of other accounts cannot use' };
      return { blockedBy: null, conditions: [] };
    }
    // The policy could not be read: it is listed among what was not considered, and nobody is blocked on a guess.
    if (this.statements === null) return { blockedBy: null, conditions: [] };
    const covers = (p: Principal) => principalCovers(p, arn, account);
    const applying = this.statements.filter((s) => appliesTo(s, covers));
    const conditions: string[] = [];
    for (const deny of applying.filter((s) => s.effect === 'Deny')) {
      if (deny.conditions.length === 0) return { blockedBy: `the key policy of ${key.arn} denies it kms:Decrypt (${deny.statement})` };
      conditions.push(`unless key policy ${deny.statement} denies kms:Decrypt when ${deny.conditions.join(' and ')}`);
    }
    const allows = applying.filter((s) => s.effect === 'Allow');
    if (allows.length === 0) {
      const delegation = account === null ? '' : ` and does not delegate to the IAM policies of account ${account}`;
      return { blockedBy: `the key policy of ${key.arn} does not allow it kms:Decrypt${delegation}` };
    }
    // The most open admitting statement decides: one without conditions beats any with them.
    const best = allows.find((s) => s.conditions.length === 0) ?? allows[0];
    const naming = best.principals.filter(covers);
    const delegated = !best.notPrincipal && naming.length > 0 && naming.every(namesWholeAccount);
    if (best.conditions.length > 0) conditions.push(`key policy ${best.statement} allows kms:Decrypt only when ${best.conditions.join(' and ')}`);
    if (delegated) conditions.push(`key policy ${best.statement} delegates kms:Decrypt to IAM: the principal's identity policies must also allow kms:Decrypt on ${key.arn}`);
    return { blockedBy: null, conditions };
  }
}
