import type { Grants } from './actions';
import { intersectAccounts, OWNER_ORGANIZATION, UNKNOWN_ACCOUNT, type Pins } from './pins';
import { listed, quoted, shorten } from './text';
import { ACCESS_RANK, type Access, type AnalysisContext, type Principal, type Statement, type StatementVerdict } from './types';

/** No accounts or organizations: one shared empty list instead of two new ones per statement. */
const NONE = Object.freeze([]) as unknown as string[];

interface EntryVerdict {
  access: Access;
  openTo: string;
  accounts: string[];
  organizations: string[];
}

function accountWord(account: string): string {
  return account === UNKNOWN_ACCOUNT ? 'an account its ARN does not name' : `account ${account}`;
}

function who(p: Principal, notPrincipal: boolean): string {
  if (notPrincipal) return 'everyone except the principals listed in NotPrincipal';
  switch (p.kind) {
    case 'any':
      return p.value === '*' ? 'anyone (Principal "*")' : `anyone (principal ${quoted(p.value)} is a wildcard)`;
    case 'account':
      if (p.value === p.account) return `any principal of account ${p.account}`;
      if (/:root$/.test(p.value)) return `any principal of account ${p.account} (${shorten(p.value)})`;
      return shorten(p.value);
    case 'service':
      return `the service ${quoted(p.value)}`;
    case 'federated':
      return p.account ? `users federated through ${shorten(p.value)}` : `any user of the identity provider ${quoted(p.value)}`;
    default:
      return `principal ${quoted(p.value)}`;
  }
}

function isTrustedOrganization(org: string, ctx: AnalysisContext): boolean {
  return org === OWNER_ORGANIZATION || (!!ctx.trustedOrgId && org === ctx.trustedOrgId.toLowerCase());
}

function orgWord(org: string, ctx: AnalysisContext): string {
  if (org === OWNER_ORGANIZATION) return org;
  return isTrustedOrganization(org, ctx) ? `the trusted organization ${org}` : `organization ${quoted(org)}`;
}

/**
 * One principal of an Allow statement against what its conditions pin:
 * named or pinned accounts decide first (the owner's and trusted ones are private), then a pinned
 * organization (trustedOrgId is private), then a pinned network (private); a service principal
 * pinned by none of them acts for any account (the confused deputy), and anyone else is public.
 */
function classifyPrincipal(p: Principal, notPrincipal: boolean, pins: Pins, ctx: AnalysisContext): EntryVerdict {
  const isTrusted = (account: string) => account === ctx.owner || ctx.trustedAccounts.includes(account);
  const text = who(p, notPrincipal);
  const orgs = pins.organizations ? [...pins.organizations] : [];
  const orgsTrusted = orgs.length > 0 && orgs.every((o) => isTrustedOrganization(o, ctx));
  const namedAccount = notPrincipal ? null : p.kind === 'account' || p.kind === 'federated' ? p.account : p.kind === 'unknown' ? UNKNOWN_ACCOUNT : null;
  let reachable: string[] | null = null;
  if (namedAccount !== null) reachable = pins.accounts ? [...intersectAccounts(new Set([namedAccount]), pins.accounts)] : [namedAccount];
  else if (pins.accounts) reachable = [...pins.accounts];

  // Conditions pinning different accounts (or organizations) to the same key can never all hold.
  if ((reachable && reachable.length === 0) || pins.organizations?.size === 0) {
    return { access: 'private', openTo: `nobody: its conditions exclude ${text}`, accounts: NONE, organizations: NONE };
  }
  if (reachable) {
    const foreign = reachable.filter((a) => !isTrusted(a));
    const named = namedAccount !== null;
    if (foreign.length === 0) {
      const whose = reachable.map((a) => (a === ctx.owner ? `the owner's ${accountWord(a)}` : `trusted ${accountWord(a)}`));
      return { access: 'private', openTo: named ? `${text} (${listed(whose)})` : `${text}, pinned to ${listed(whose)}`, accounts: NONE, organizations: NONE };
    }
    const where = named ? (p.kind === 'unknown' ? text : `${text} (${listed(foreign.map(accountWord))})`) : `${text}, pinned to ${listed(reachable.map(accountWord))}`;
    if (orgsTrusted) return { access: 'private', openTo: `${where}, within ${listed(orgs.map((o) => orgWord(o, ctx)))}`, accounts: NONE, organizations: NONE };
    return { access: 'cross-account', openTo: where, accounts: foreign, organizations: NONE };
  }
  if (orgs.length) {
    const openTo = `${text}, within ${listed(orgs.map((o) => orgWord(o, ctx)))}`;
    if (orgsTrusted) return { access: 'private', openTo, accounts: NONE, organizations: NONE };
    return { access: 'cross-account', openTo, accounts: NONE, organizations: orgs.filter((o) => !isTrustedOrganization(o, ctx)) };
  }
  if (pins.network.length) return { access: 'private', openTo: `${text}, but only from ${listed(pins.network)}`, accounts: NONE, organizations: NONE };
  if (p.kind === 'service') {
    return { access: 'cross-account', openTo: `${text} acting for any account (no aws:SourceAccount or aws:SourceArn condition pins whose)`, accounts: NONE, organizations: NONE };
  }
  return { access: 'public', openTo: text, accounts: NONE, organizations: NONE };
}

/** Reasons shown per statement; a policy can have thousands of conditions, and the finding lists statements, not an essay. */
const MAX_REASONS = 10;

function reasons(effects: readonly { reason: string }[]): string {
  const shown = effects
    .slice(0, MAX_REASONS)
    .map((e) => e.reason)
    .join('; ');
  return effects.length > MAX_REASONS ? `${shown}; and ${effects.length - MAX_REASONS} more` : shown;
}

function conditionsText(pins: Pins): string {
  if (pins.pinning.length === 0 && pins.loose.length === 0) return 'no Condition: nothing restricts the caller';
  if (pins.pinning.length === 0) return `no condition pins the caller: ${reasons(pins.loose)}`;
  return pins.loose.length ? `${reasons(pins.pinning)}; the other conditions do not identify the caller (${reasons(pins.loose)})` : reasons(pins.pinning);
}

/** Several principals: the most open one decides, and every principal as open as it is named. */
function mostOpen(entries: EntryVerdict[]): EntryVerdict {
  if (entries.length === 0) return { access: 'private', openTo: 'nobody (empty Principal)', accounts: NONE, organizations: NONE };
  let access: Access = 'private';
  for (const e of entries) if (ACCESS_RANK[e.access] > ACCESS_RANK[access]) access = e.access;
  const top = entries.filter((e) => e.access === access);
  const unique = (values: string[]) => [...new Set(values)];
  return {
    access,
    openTo: listed(unique(top.map((e) => e.openTo)), 5),
    accounts: unique(top.flatMap((e) => e.accounts)),
    organizations: unique(top.flatMap((e) => e.organizations)),
  };
}

/** The verdict on one Allow statement that grants a Secrets Manager action: the most open of its principals. */
export function classifyStatement(statement: Statement, grants: Grants, pins: Pins, ctx: AnalysisContext): StatementVerdict {
  const principals: Principal[] = statement.notPrincipal ? [{ kind: 'any', value: 'NotPrincipal', account: null }] : statement.principals;
  const verdict =
    principals.length === 1 ? classifyPrincipal(principals[0], statement.notPrincipal, pins, ctx) : mostOpen(principals.map((p) => classifyPrincipal(p, statement.notPrincipal, pins, ctx)));
  return {
    index: statement.index,
    sid: statement.sid,
    access: verdict.access,
    openTo: verdict.openTo,
    accounts: verdict.accounts,
    organizations: verdict.organizations,
    actions: grants.shown,
    notAction: statement.notAction,
    allowsGetSecretValue: grants.getSecretValue,
    conditions: conditionsText(pins),
  };
}
