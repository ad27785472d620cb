import type { WorkBudget } from './budget';
import { globMatches, hasWildcard } from './glob';
import { shorten } from './text';
import type { Statement } from './types';

/** Every Secrets Manager action (Service Authorization Reference), as AWS spells them. */
export const SECRETS_MANAGER_ACTION_NAMES = [
  'BatchGetSecretValue',
  'CancelRotateSecret',
  'CreateSecret',
  'DeleteResourcePolicy',
  'DeleteSecret',
  'DescribeSecret',
  'GetRandomPassword',
  'GetResourcePolicy',
  'GetSecretValue',
  'ListSecretVersionIds',
  'ListSecrets',
  'PutResourcePolicy',
  'PutSecretValue',
  'RemoveRegionsFromReplication',
  'ReplicateSecretToRegions',
  'RestoreSecret',
  'RotateSecret',
  'StopReplicationToReplica',
  'TagResource',
  'UntagResource',
  'UpdateSecret',
  'UpdateSecretVersionStage',
  'ValidateResourcePolicy',
] as const;

export type SecretsManagerAction = (typeof SECRETS_MANAGER_ACTION_NAMES)[number];

/** The same, prefixed and lower-cased: IAM compares actions case-insensitively. */
export const SECRETS_MANAGER_ACTIONS = SECRETS_MANAGER_ACTION_NAMES.map((a) => `secretsmanager:${a.toLowerCase()}`);

const GET_SECRET_VALUE = 'secretsmanager:getsecretvalue';
/** Stands for a Secrets Manager action not in the list (a future one): only namespace-wide patterns match it. */
const ANY_OTHER_ACTION = 'secretsmanager:~any-other-action';
const MASKED_ACTIONS = [...SECRETS_MANAGER_ACTIONS, ANY_OTHER_ACTION];
const FULL_MASK = (1 << MASKED_ACTIONS.length) - 1;
const BIT_OF_ACTION = new Map(MASKED_ACTIONS.map((action, bit) => [action, 1 << bit]));

/**
 * The bit set of one lower-cased pattern. The usual patterns take no matching: an action named
 * exactly, "*" and "secretsmanager:*"; any other wildcard is matched against every action.
 */
function patternMask(p: string, budget: WorkBudget): number {
  if (p === '*' || p === 'secretsmanager:*') return FULL_MASK;
  if (!hasWildcard(p)) return BIT_OF_ACTION.get(p) ?? 0;
  let bits = 0;
  MASKED_ACTIONS.forEach((action, bit) => {
    if (globMatches(p, action, budget)) bits |= 1 << bit;
  });
  return bits;
}
/** The bit set of the named actions. */
export function maskOfActions(names: readonly SecretsManagerAction[]): number {
  let mask = 0;
  for (const name of names) mask |= BIT_OF_ACTION.get(`secretsmanager:${name.toLowerCase()}`) ?? 0;
  return mask;
}

/** The known actions in a bit set, as AWS spells them, in the reference's order. */
export function actionsOfMask(mask: number): SecretsManagerAction[] {
  return SECRETS_MANAGER_ACTION_NAMES.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

/**
 * Masks of patterns already matched, across analyses: the same few wildcard patterns
 * ("secretsmanager:Get*", "*") recur in every policy. Bounded: emptied when full, so a stream of
 * hostile distinct patterns costs memory once and matching as before.
 */
const SHARED_MASKS = new Map<string, number>();
const MAX_SHARED = 10_000;

export function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_SHARED) cache.clear();
  cache.set(key, value);
}

/** Shown per statement; the rest is counted. */
const MAX_SHOWN_ACTIONS = 10;

export interface Grants {
  /** It grants at least one Secrets Manager action on the secret. */
  any: boolean;
  getSecretValue: boolean;
  /** The patterns to show: the Secrets Manager ones (Action) or all of them (NotAction). */
  shown: string[];
}

interface PatternFacts {
  /** Matches a Secrets Manager action (a known one, or any action in the namespace). */
  secretsManager: boolean;
  getSecretValue: boolean;
}

/**
 * What Action / NotAction patterns grant. Facts per distinct pattern are memoised: a policy that
 * repeats "secretsmanager:GetSecretValue" 10,000 times pays for it once.
 */
export class ActionMatcher {
  private readonly facts = new Map<string, PatternFacts>();
  private readonly masks = new Map<string, number>();

  constructor(private readonly budget: WorkBudget) {}

  private factsOf(pattern: string): PatternFacts {
    let facts = this.facts.get(pattern);
    if (!facts) {
      const p = pattern.trim().toLowerCase();
      const colon = p.indexOf(':');
      // Action names have exactly one colon, so a pattern's part before its colon must match the service prefix.
      const secretsManager = colon >= 0 ? globMatches(p.slice(0, colon), 'secretsmanager', this.budget) : SECRETS_MANAGER_ACTIONS.some((a) => globMatches(p, a, this.budget));
      facts = { secretsManager, getSecretValue: secretsManager && globMatches(p, GET_SECRET_VALUE, this.budget) };
      this.facts.set(pattern, facts);
    }
    return facts;
  }

  private excludes(patterns: readonly string[], action: string): boolean {
    return patterns.some((p) => globMatches(p.trim().toLowerCase(), action, this.budget));
  }

  private maskOf(pattern: string): number {
    let mask = this.masks.get(pattern) ?? SHARED_MASKS.get(pattern);
    if (mask === undefined) {
      mask = patternMask(pattern.trim().toLowerCase(), this.budget);
      remember(SHARED_MASKS, pattern, mask);
    }
    this.masks.set(pattern, mask);
    return mask;
  }

  /**
   * The Secrets Manager actions a statement's Action (or NotAction) applies to, as a bit set over
   * SECRETS_MANAGER_ACTIONS plus one bit for any other action of the namespace.
   */
  actionMask(statement: Pick<Statement, 'actions' | 'notAction'>): number {
    let mask = 0;
    for (const pattern of statement.actions) mask |= this.maskOf(pattern);
    return statement.notAction ? FULL_MASK & ~mask : mask;
  }

  grants(statement: Statement): Grants {
    const patterns = statement.actions;
    if (statement.notAction) {
      // NotAction grants every action it does not name; an unknown action stays granted.
      const any = SECRETS_MANAGER_ACTIONS.some((a) => !this.excludes(patterns, a));
      return { any, getSecretValue: !this.excludes(patterns, GET_SECRET_VALUE), shown: capped(patterns) };
    }
    let getSecretValue = false;
    let relevant = 0;
    for (const pattern of patterns) {
      const facts = this.factsOf(pattern);
      if (!facts.secretsManager) continue;
      getSecretValue ||= facts.getSecretValue;
      relevant++;
    }
    // Usually every pattern is a Secrets Manager one: the list as written, no copy.
    const shown = relevant === patterns.length ? patterns : patterns.filter((p) => this.factsOf(p).secretsManager);
    return { any: relevant > 0, getSecretValue, shown: capped(shown) };
  }
}

export function capped(patterns: readonly string[]): string[] {
  // The usual case, a few short patterns, is shown as written without a copy.
  if (patterns.length <= MAX_SHOWN_ACTIONS && patterns.every((p) => p.length <= 80)) return patterns as string[];
  const shown = patterns.slice(0, MAX_SHOWN_ACTIONS).map((p) => shorten(p, 80));
  return patterns.length > MAX_SHOWN_ACTIONS ? [...shown, `(${patterns.length - MAX_SHOWN_ACTIONS} more)`] : shown;
}
