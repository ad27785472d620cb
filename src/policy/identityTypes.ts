import type { SecretsManagerAction } from './actions';

/**
 * Which secrets an identity policy is evaluated against: every secret of an account (what a new
 * grant could reach), or one concrete secret (who can read this one).
 */
export type SecretScope =
  | {
      kind: 'account';
      /** The account whose secrets; null when unknown (then only a pattern matching any account covers them). */
      account: string | null;
      /** aws, aws-cn, aws-us-gov...; aws when not given. */
      partition?: string;
    }
  | {
      kind: 'secret';
      /** The full ARN, random suffix included. */
      arn: string;
      /** The name; read from the ARN when not given. */
      name?: string | null;
      /** The secret's tags, key to value. */
      tags?: Readonly<Record<string, string>>;
    };

/** What one Allow statement of an identity policy grants on the scope's secrets. */
export interface IdentityStatementGrant {
  /** Position in the policy's Statement list (0 when Statement is a single object). */
  index: number;
  sid: string | null;
  /** GetSecretValue is granted: the principal can read secret values. */
  reads: boolean;
  /** The administering actions granted (SECRET_ADMIN_ACTIONS): open, overwrite or delete a secret. */
  administers: SecretsManagerAction[];
  /** Every known Secrets Manager action granted once credited Denies are taken off, as AWS spells them. */
  granted: SecretsManagerAction[];
  /** Action or NotAction patterns as written (shortened when long). */
  actions: string[];
  notAction: boolean;
  /** Resource or NotResource patterns as written (shortened when long). */
  resources: string[];
  notResource: boolean;
  /**
   * Conditions that limit which secrets the statement reaches (tags, name, id), in words. For a
   * concrete secret, only those that could not be decided from its name, ARN and tags.
   */
  narrowing: string[];
  /** Conditions that limit how or from where, not which secrets (network, MFA, time), in words. */
  otherConditions: string[];
  /** Deny statements of the same document that took actions off this one. */
  deniedBy: number[];
}

export interface IdentityPolicyAnalysis {
  statementCount: number;
  allowCount: number;
  denyCount: number;
  /** Allow statements that still grant a Secrets Manager action on the scope, in policy order. */
  grants: IdentityStatementGrant[];
  /** Deny statements credited against some Allow, in policy order. */
  creditedDenies: number[];
  /** Work units spent (see budget.ts). */
  workUnits: number;
}
