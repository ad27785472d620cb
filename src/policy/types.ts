/** Who an Allow statement opens the secret to, from most to least open; a policy's verdict is its most open statement. */
export type Access = 'public' | 'cross-account' | 'private';

export const ACCESS_RANK: Record<Access, number> = { public: 3, 'cross-account': 2, private: 1 };

/** What the verdict depends on besides the policy: whose secret it is and whom the operator trusts. */
export interface AnalysisContext {
  /** The secret owner's account id; null when the event does not say (then every account is foreign). */
  owner: string | null;
  trustedAccounts: readonly string[];
  trustedOrgId?: string | null;
}

/** A principal as written in Principal / NotPrincipal, normalised. */
export interface Principal {
  /** any: "*" or equivalent; account: an account, its root or an IAM/STS principal in it; service: an AWS service principal. */
  kind: 'any' | 'account' | 'service' | 'federated' | 'unknown';
  /** As written (truncated for display). */
  value: string;
  /** The account it belongs to, when the value names one. */
  account: string | null;
}

/** One key of a Condition block, normalised: operator and key compared case-insensitively. */
export interface ConditionEntry {
  /** The operator as written, e.g. "ForAnyValue:StringLike". */
  operator: string;
  /** The base operator, lower case, without set qualifier or IfExists: "stringlike". */
  base: string;
  qualifier: 'foranyvalue' | 'forallvalues' | null;
  ifExists: boolean;
  /** The key as written, and lower-cased. */
  key: string;
  keyLower: string;
  values: string[];
  /** Set when the entry stands for a Deny guardrail (guardrails.ts): that statement, in words. */
  via?: string;
}

export interface Statement {
  /** Position in the policy's Statement list (0 when Statement is a single object). */
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  notPrincipal: boolean;
  principals: Principal[];
  notAction: boolean;
  /** Action or NotAction patterns as written. */
  actions: string[];
  /**
   * Resource is "*" (or lists it): the statement covers the whole secret whatever its ARN. Only
   * Deny statements read it (see guardrails.ts); an Allow is judged whatever its Resource says.
   */
  resourceIsAny: boolean;
  conditions: ConditionEntry[];
}

/** What one Allow statement grants, and to whom; the finding's details are built from these. */
export interface StatementVerdict {
  index: number;
  sid: string | null;
  access: Access;
  /** Who it opens the secret to, in words. */
  openTo: string;
  /** Accounts other than the owner and the trusted ones that it reaches ("unknown" when an ARN does not name one). */
  accounts: string[];
  /** Organizations other than trustedOrgId that it is pinned to. */
  organizations: string[];
  /** The Secrets Manager actions it grants, as written (Action), or those it excludes (NotAction). */
  actions: string[];
  notAction: boolean;
  allowsGetSecretValue: boolean;
  /** Why the conditions do, or do not, restrict who can use it. */
  conditions: string;
}

export interface PolicyAnalysis {
  /** The most open access any Allow statement gives. */
  access: Access;
  statementCount: number;
  allowCount: number;
  denyCount: number;
  /** Deny statements credited as guardrails (guardrails.ts): their positions, in policy order. */
  creditedDenies: number[];
  /** Every Allow statement that grants a Secrets Manager action, in policy order. */
  statements: StatementVerdict[];
  /** Work units spent (see budget.ts): how close the input came to the bound. */
  workUnits: number;
}
