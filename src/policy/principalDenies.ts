import { statementLabel } from './statement';
import { listed, shorten } from './text';
import type { Principal, Statement } from './types';

/**
 * A Deny that names principals (not "*"), without a condition, on the whole secret (Resource "*"):
 * whatever an Allow grants one of those principals, among the actions the Deny covers, nobody
 * gets. Credited exactly: the named principal is taken out of the Allow, and the Allow is judged
 * on the principals left. A Deny with a condition or NotPrincipal is left uncredited, which can
 * only overstate access.
 */
export interface PrincipalDeny {
  statement: Statement;
  /** The actions it denies (ActionMatcher.actionMask). */
  mask: number;
  /** principalKey of each principal it names. */
  keys: Set<string>;
}

const ROOT_ARN = /^arn:[a-z-]+:iam::(\d{12}):root$/;

/**
 * One spelling per principal: an account's id and its root ARN name the same principal; service
 * principals compare case-insensitively; every other ARN as written.
 */
export function principalKey(p: Principal): string {
  if (p.kind === 'account' && (p.value === p.account || ROOT_ARN.test(p.value))) return `account:${p.account}`;
  if (p.kind === 'service') return `service:${p.value.toLowerCase()}`;
  return `${p.kind}:${p.value}`;
}

export function principalDenyOf(deny: Statement, actionMask: (statement: Statement) => number): PrincipalDeny | null {
  if (deny.effect !== 'Deny' || deny.notPrincipal || !deny.resourceIsAny || deny.conditions.length > 0) return null;
  if (deny.principals.length === 0 || deny.principals.some((p) => p.kind === 'any')) return null;
  return { statement: deny, mask: actionMask(deny), keys: new Set(deny.principals.map(principalKey)) };
}

/** What the principal Denies leave of an Allow: the principals still allowed, and which Denies took which out. */
export interface NarrowedAllow {
  statement: Statement;
  credited: PrincipalDeny[];
  /** In words, for the statement's conditions text; null when no Deny applied. */
  note: string | null;
}

export function withoutDeniedPrincipals(allow: Statement, allowMask: number, denies: readonly PrincipalDeny[]): NarrowedAllow {
  if (allow.notPrincipal || denies.length === 0) return { statement: allow, credited: [], note: null };
  const credited: PrincipalDeny[] = [];
  const removed: Principal[] = [];
  let principals = allow.principals;
  for (const deny of denies) {
    // The Deny must cover every action the Allow grants: a principal denied some of them keeps the rest.
    if ((allowMask & ~deny.mask) !== 0) continue;
    const kept = principals.filter((p) => !deny.keys.has(principalKey(p)));
    if (kept.length === principals.length) continue;
    removed.push(...principals.filter((p) => deny.keys.has(principalKey(p))));
    credited.push(deny);
    principals = kept;
  }
  if (credited.length === 0) return { statement: allow, credited, note: null };
  const by = listed(credited.map((d) => statementLabel(d.statement.index, d.statement.sid)));
  const note = `${by} denies every action it grants to ${listed(
    removed.map((p) => JSON.stringify(shorten(p.value))),
    5,
  )}`;
  return { statement: { ...allow, principals }, credited, note };
}
