import { nameFromArn } from '../resources/secret';
import { ActionMatcher, actionsOfMask, capped, maskOfActions, remember, type SecretsManagerAction } from './actions';
import { WorkBudget } from './budget';
import { parseConditions } from './conditions';
import { readPolicyDocument, type PolicyDocument } from './document';
import { PolicyError } from './errors';
import { isPlainObject, statementFields } from './fields';
import type { IdentityPolicyAnalysis, IdentityStatementGrant, SecretScope } from './identityTypes';
import { describeCondition, describesSecret, evaluateOnSecret, isVacuous, type SecretFacts } from './resourceConditions';
import { arnMatches, coversTemplate, meetsTemplate, secretArnTemplate } from './secretArns';
import { statementLabel, stringList } from './statement';
import { quoted, shorten, typeName } from './text';
import type { ConditionEntry } from './types';

/** Reading secret values. BatchGetSecretValue alone returns none: it needs GetSecretValue on each secret too. */
export const SECRET_READ_ACTIONS: readonly SecretsManagerAction[] = ['GetSecretValue'];
/** Opening a secret to others, overwriting its value, deleting it or detaching a replica from its primary. */
export const SECRET_ADMIN_ACTIONS: readonly SecretsManagerAction[] = ['PutResourcePolicy', 'DeleteResourcePolicy', 'DeleteSecret', 'PutSecretValue', 'UpdateSecret', 'StopReplicationToReplica'];

const READ_MASK = maskOfActions(SECRET_READ_ACTIONS);
const ADMIN_MASK = maskOfActions(SECRET_ADMIN_ACTIONS);
const KNOWN_MASK = maskOfActions(actionsOfMask(-1));

/** Resource patterns already judged against a scope's template (bounded, see remember). */
const COVERS = new Map<string, boolean>();
const MEETS = new Map<string, boolean>();

interface IdentityStatement {
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  actions: string[];
  notAction: boolean;
  resources: string[];
  notResource: boolean;
  conditions: ConditionEntry[];
}

/** Where a statement stands towards the scope's secrets. */
interface Reach {
  /** It applies to them (for an Allow: to every one of them, or to the one). */
  applies: boolean;
  narrowing: ConditionEntry[];
  other: ConditionEntry[];
  /** Every condition is known to hold: a Deny with this reach takes its actions off unconditionally. */
  certain: boolean;
}

/** How statements stand towards a scope: every secret (or the one) and, for a Deny not credited, some of them. */
interface ScopeTest {
  reach(s: IdentityStatement): Reach;
  /** It reaches at least one of the scope's secrets: asked only of Deny statements, the costlier test. */
  some(s: IdentityStatement, reach: Reach): boolean;
}

/** A Deny that takes actions off some of the secrets, or under some conditions: named on each Allow it limits. */
interface PartialDeny {
  mask: number;
  /** Which list of the Allow it is named in: it limits which secrets, or only how or from where. */
  narrows: boolean;
  text: string;
}

/**
 * What an identity-based policy (inline or managed, attached to a role, user or group) grants on
 * Secrets Manager secrets: per Allow statement, whether it reads secret values, which
 * administering actions it grants, on which resources, under which conditions.
 *
 * With scope `{ kind: 'account' }` a statement counts only when it reaches every secret of the
 * account (Resource `*`, `arn:<partition>:secretsmanager:*`, a `secret:*` pattern of the account
 * or of any account, or a NotResource that excludes none of them); its conditions on tags, name or
 * secret id are `narrowing` (some secrets, not all), the others (aws:SourceIp, aws:SourceVpce,
 * aws:MultiFactorAuthPresent...) `otherConditions`. With scope `{ kind: 'secret' }` a statement
 * counts when its Resource matches that ARN and its conditions on the secret hold (those that
 * cannot be decided stay in `narrowing`).
 *
 * A Deny of the same document takes its actions off every Allow when it certainly applies: it
 * reaches the same secrets and has no condition that could fail (for a concrete secret, conditions
 * on its name and tags that hold count as certain). Any other Deny is not credited, so the result
 * errs towards reporting access.
 *
 * `input` is the document as CloudTrail and IAM give it: a JSON string, URL-encoded or not, or the
 * object. Throws PolicyError, and nothing else; the work is bounded by `budget`.
 */
export function analyzeIdentityPolicy(input: unknown, scope: SecretScope, budget: WorkBudget = new WorkBudget()): IdentityPolicyAnalysis {
  try {
    return analyzeIdentityDocument(readPolicyDocument(decodeIdentityPolicy(input), budget), scope, budget);
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    throw new PolicyError('internal-error', `analysis failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

/**
 * IAM returns policy documents URL-encoded (GetPolicyVersion, GetAccountAuthorizationDetails) and
 * CloudTrail logs some requests that way: a document is JSON, so one that starts with `%` is encoded.
 */
export function decodeIdentityPolicy(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const text = input.trim();
  if (!text.startsWith('%')) return input;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new PolicyError('invalid-json', 'the policy looks URL-encoded but does not decode');
  }
}

/** The same, for a document already read (see readPolicyDocument). */
export function analyzeIdentityDocument(doc: PolicyDocument, scope: SecretScope, budget: WorkBudget = new WorkBudget()): IdentityPolicyAnalysis {
  budget.spend(doc.statements.length);
  const matcher = new ActionMatcher(budget);
  const scopeTest = scope.kind === 'account' ? accountReach(scope, budget) : secretReach(scope, budget);
  const allows: { statement: IdentityStatement; reach: Reach }[] = [];
  const denies: { index: number; mask: number }[] = [];
  const partialDenies: PartialDeny[] = [];
  let denyCount = 0;
  doc.statements.forEach((raw, index) => {
    const statement = normalizeIdentityStatement(raw, index, budget);
    const reach = scopeTest.reach(statement);
    if (statement.effect === 'Allow') {
      if (reach.applies) allows.push({ statement, reach });
      return;
    }
    denyCount++;
    if (reach.applies && reach.certain) denies.push({ index, mask: matcher.actionMask(statement) });
    else if (scopeTest.some(statement, reach)) partialDenies.push(partialDeny(statement, reach, matcher.actionMask(statement)));
  });

  const grants: IdentityStatementGrant[] = [];
  const credited = new Set<number>();
  for (const { statement, reach } of allows) {
    const asked = matcher.actionMask(statement) & KNOWN_MASK;
    if (asked === 0) continue;
    let mask = asked;
    const deniedBy: number[] = [];
    for (const deny of denies) {
      if ((mask & deny.mask) === 0) continue;
      mask &= ~deny.mask;
      deniedBy.push(deny.index);
      credited.add(deny.index);
    }
    if (mask === 0) continue;
    const limits = partialDenies.filter((d) => (d.mask & mask & (READ_MASK | ADMIN_MASK)) !== 0);
    grants.push({
      index: statement.index,
      sid: statement.sid,
      reads: (mask & READ_MASK) !== 0,
      administers: actionsOfMask(mask & ADMIN_MASK),
      granted: actionsOfMask(mask),
      actions: capped(statement.actions),
      notAction: statement.notAction,
      resources: capped(statement.resources),
      notResource: statement.notResource,
      narrowing: [...reach.narrowing.map(describeCondition), ...limits.filter((d) => d.narrows).map((d) => d.text)],
      otherConditions: [...reach.other.map(describeCondition), ...limits.filter((d) => !d.narrows).map((d) => d.text)],
      deniedBy,
    });
  }
  return {
    statementCount: doc.statements.length,
    allowCount: doc.statements.length - denyCount,
    denyCount,
    grants,
    creditedDenies: [...credited].sort((a, b) => a - b),
    workUnits: budget.used,
  };
}

/** Statements reaching every secret of an account: the resource test is the same for every statement with the same patterns. */
function accountReach(scope: Extract<SecretScope, { kind: 'account' }>, budget: WorkBudget): ScopeTest {
  const template = secretArnTemplate(scope.partition ?? 'aws', scope.account);
  // Across analyses: the same patterns ("*", "arn:aws:secretsmanager:*") recur in every policy.
  const memo = (cache: Map<string, boolean>, test: typeof coversTemplate) => (pattern: string) => {
    const key = `${template}\u0000${pattern}`;
    let known = cache.get(key);
    if (known === undefined) {
      known = test(pattern.trim(), template, budget);
      remember(cache, key, known);
    }
    return known;
  };
  const coversAll = memo(COVERS, coversTemplate);
  const meetsAny = memo(MEETS, meetsTemplate);
  return {
    reach(s) {
      const applies = s.notResource ? !s.resources.some(meetsAny) : s.resources.some(coversAll);
      const narrowing: ConditionEntry[] = [];
      const other: ConditionEntry[] = [];
      for (const c of s.conditions) (describesSecret(c.keyLower) && !isVacuous(c) ? narrowing : other).push(c);
      return { applies, narrowing, other, certain: s.conditions.length === 0 };
    },
    some: (s) => (s.notResource ? !s.resources.some(coversAll) : s.resources.some(meetsAny)),
  };
}

function secretReach(scope: Extract<SecretScope, { kind: 'secret' }>, budget: WorkBudget): ScopeTest {
  const tags = new Map<string, string>();
  for (const [key, value] of Object.entries(scope.tags ?? {})) tags.set(key.toLowerCase(), value);
  const facts: SecretFacts = { arn: scope.arn, name: scope.name ?? nameFromArn(scope.arn) ?? scope.arn, tags };
  const reach = (s: IdentityStatement): Reach => {
    const matched = s.resources.some((p) => arnMatches(p.trim(), scope.arn, budget));
    const narrowing: ConditionEntry[] = [];
    const other: ConditionEntry[] = [];
    let certain = true;
    const none: Reach = { applies: false, narrowing, other, certain: false };
    if (matched === s.notResource) return none;
    for (const c of s.conditions) {
      const truth = evaluateOnSecret(c, facts, budget);
      if (truth === 'false') return none;
      if (truth === 'true') continue;
      certain = false;
      (describesSecret(c.keyLower) ? narrowing : other).push(c);
    }
    return { applies: true, narrowing, other, certain };
  };
  // For one secret, a statement that reaches it at all reaches all there is.
  return { reach, some: (_s, r) => r.applies };
}

function partialDeny(statement: IdentityStatement, reach: Reach, mask: number): PartialDeny {
  const on = reach.applies ? '' : ' on some secrets';
  const when = [...reach.narrowing, ...reach.other].map(describeCondition);
  return {
    mask,
    narrows: !reach.applies || reach.narrowing.length > 0,
    text: `Deny ${statementLabel(statement.index, statement.sid)}${on}${when.length > 0 ? ` when ${when.join(' and ')}` : ''}`,
  };
}

/** One element of an identity policy's Statement: as a resource policy's, without Principal and with Resource. */
function normalizeIdentityStatement(raw: unknown, index: number, budget: WorkBudget): IdentityStatement {
  if (!isPlainObject(raw)) throw new PolicyError('invalid-statement', `Statement ${index}: expected an object, got ${typeName(raw)}`);
  const fields = statementFields(raw, budget);
  const sid = typeof fields.sid === 'string' ? shorten(fields.sid) : typeof fields.sid === 'number' ? String(fields.sid) : null;
  const label = () => statementLabel(index, sid);
  const effect = typeof fields.effect === 'string' ? fields.effect.trim().toLowerCase() : null;
  if (effect !== 'allow' && effect !== 'deny') {
    throw new PolicyError('invalid-statement', `${label()}: Effect: expected "Allow" or "Deny", got ${typeof fields.effect === 'string' ? quoted(fields.effect) : typeName(fields.effect)}`);
  }
  if ((fields.action === undefined) === (fields.notaction === undefined)) {
    throw new PolicyError('invalid-action', `${label()}: a statement needs exactly one of Action and NotAction`);
  }
  if ((fields.resource === undefined) === (fields.notresource === undefined)) {
    throw new PolicyError('invalid-resource', `${label()}: an identity policy statement needs exactly one of Resource and NotResource`);
  }
  const notAction = fields.notaction !== undefined;
  const notResource = fields.notresource !== undefined;
  return {
    index,
    sid,
    effect: effect === 'allow' ? 'Allow' : 'Deny',
    actions: stringList(notAction ? fields.notaction : fields.action, notAction ? 'NotAction' : 'Action', label, budget),
    notAction,
    resources: stringList(notResource ? fields.notresource : fields.resource, notResource ? 'NotResource' : 'Resource', label, budget, 'invalid-resource'),
    notResource,
    conditions: parseConditions(fields.condition, label, budget),
  };
}
