import type { WorkBudget } from './budget';
import { hasWildcard } from './glob';
import { arnAccount } from './principals';
import { listed, quoted } from './text';
import type { AnalysisContext, ConditionEntry } from './types';

/** An account that an ARN in a condition does not name (e.g. an S3 bucket ARN). */
export const UNKNOWN_ACCOUNT = 'unknown';
/** The organization of `${aws:ResourceOrgID}`: the secret owner's own, whatever its id. */
export const OWNER_ORGANIZATION = "the secret owner's organization";

type PinKind = 'account' | 'arn' | 'organization' | 'organization-path' | 'network' | 'ip';

/** The condition keys whose fixed, non-wildcard value pins who the caller is, plus aws:SourceOrgPaths, the org-path twin of aws:SourceOrgID. */
const PINNING_KEYS = new Map<string, PinKind>([
  ['aws:principalaccount', 'account'],
  ['aws:sourceaccount', 'account'],
  // The older twin of aws:SourceAccount that some services (SNS, SES) still send: the account that owns the source.
  ['aws:sourceowner', 'account'],
  ['aws:principalarn', 'arn'],
  ['aws:sourcearn', 'arn'],
  ['aws:principalorgid', 'organization'],
  ['aws:sourceorgid', 'organization'],
  ['aws:principalorgpaths', 'organization-path'],
  ['aws:sourceorgpaths', 'organization-path'],
  ['aws:sourcevpc', 'network'],
  ['aws:sourcevpce', 'network'],
  ['aws:sourceip', 'ip'],
]);

/** In every signed request's context: ...IfExists on them still pins. Every other key can be absent. */
const ALWAYS_PRESENT = new Set(['aws:principalarn', 'aws:principalaccount']);
const POSITIVE_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'ipaddress']);
const NEGATED_OPERATORS = new Set(['stringnotequals', 'stringnotequalsignorecase', 'stringnotlike', 'arnnotequals', 'arnnotlike', 'notipaddress']);
/** Each negated operator's positive twin: what a caller must satisfy for the negated one to be false. */
export const POSITIVE_OF_NEGATED = new Map([
  ['stringnotequals', 'stringequals'],
  ['stringnotequalsignorecase', 'stringequalsignorecase'],
  ['stringnotlike', 'stringlike'],
  ['arnnotequals', 'arnequals'],
  ['arnnotlike', 'arnlike'],
  ['notipaddress', 'ipaddress'],
]);

/** The key (lower case) is one that can pin who the caller is. */
export function isPinningKey(keyLower: string): boolean {
  return PINNING_KEYS.has(keyLower);
}
/** Operators for which * and ? are wildcards (ArnEquals matches like ArnLike); elsewhere they are literal. */
const WILDCARD_OPERATORS = new Set(['stringlike', 'arnequals', 'arnlike']);
/**
 * An IP range this wide restricts nothing that matters. The bounds are those of AWS's own
 * definition of a public policy (Amazon S3 Block Public Access, which Access Analyzer applies to
 * other services): an IPv4 range of /8 or narrower, an IPv6 range of /32 or narrower.
 */
const MIN_IPV4_PREFIX = 8;
const MIN_IPV6_PREFIX = 32;

const RESOURCE_ACCOUNT_VARIABLE = /\$\{\s*aws:resourceaccount\s*\}/gi;
const RESOURCE_ORG_VARIABLE = /\$\{\s*aws:resourceorgid\s*\}/gi;

/** What one condition does to the set of callers. */
export interface ConditionEffect {
  pins: boolean;
  accounts?: string[];
  organizations?: string[];
  network?: string;
  /** Why it pins, or why it does not: for the finding's details. */
  reason: string;
}

/** What all of a statement's conditions pin (they are ANDed: each pin narrows the others). */
export interface Pins {
  /** null: no condition pins the account. */
  accounts: Set<string> | null;
  organizations: Set<string> | null;
  network: string[];
  pinning: ConditionEffect[];
  loose: ConditionEffect[];
}

/**
 * `${aws:ResourceAccount}` and `${aws:ResourceOrgID}` stand for the secret owner's account and
 * organization; every other policy variable is a per-request value that pins nothing.
 * Returns null for a value that is not fixed.
 */
function resolveVariables(value: string, ctx: AnalysisContext, kind: PinKind): string | null {
  let out = value.trim().replace(RESOURCE_ACCOUNT_VARIABLE, ctx.owner ?? UNKNOWN_ACCOUNT);
  if (kind === 'organization' || kind === 'organization-path') out = out.replace(RESOURCE_ORG_VARIABLE, OWNER_ORGANIZATION);
  return out.includes('${') ? null : out;
}

/** "203.0.113.0/24" -> 24; a bare address is a /32 (/128). null for anything else. */
export function prefixLength(value: string): { version: 4 | 6; prefix: number } | null {
  const [address, bits, extra] = value.trim().split('/');
  if (extra !== undefined || !address) return null;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  const version = v4 ? 4 : /^[0-9a-f:]+$/i.test(address) && address.includes(':') ? 6 : null;
  if (version === null || v4?.slice(1).some((o) => Number(o) > 255)) return null;
  const max = version === 4 ? 32 : 128;
  if (bits === undefined) return { version, prefix: max };
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return null;
  return { version, prefix: Number(bits) };
}

function ipEffect(c: ConditionEntry, label: string): ConditionEffect {
  if (c.base !== 'ipaddress') return { pins: false, reason: `${label}: aws:SourceIp is only restricted by IpAddress` };
  for (const value of c.values) {
    const range = prefixLength(value);
    if (!range) return { pins: false, reason: `${label} ${quoted(value)} is not an IP address or range` };
    if (range.prefix < (range.version === 4 ? MIN_IPV4_PREFIX : MIN_IPV6_PREFIX)) {
      return { pins: false, reason: `${label} ${quoted(value)} ${range.prefix === 0 ? 'is every address' : 'is too wide a range to restrict anyone'}` };
    }
  }
  return { pins: true, network: `source IP in ${listed(c.values.map((v) => v.trim()))}`, reason: `${label} pins the caller's address to ${listed(c.values.map((v) => v.trim()))}` };
}

/** What one condition key does; `label` names it as written, e.g. `StringLike aws:PrincipalArn`. */
export function conditionEffect(c: ConditionEntry, ctx: AnalysisContext): ConditionEffect {
  const label = c.via ? `${c.via} (${c.operator} ${c.key})` : `${c.operator} ${c.key}`;
  const kind = PINNING_KEYS.get(c.keyLower);
  if (!kind) return { pins: false, reason: `${c.key} does not identify the caller` };
  if (NEGATED_OPERATORS.has(c.base)) return { pins: false, reason: `${label} only excludes the values it lists; every other caller passes` };
  if (!POSITIVE_OPERATORS.has(c.base)) return { pins: false, reason: `${label}: this operator does not pin ${c.key} to a value` };
  if (c.qualifier === 'forallvalues') return { pins: false, reason: `${label} is also true for a request that has no ${c.key} at all` };
  if (c.ifExists && !ALWAYS_PRESENT.has(c.keyLower)) return { pins: false, reason: `${label}: IfExists lets every request without ${c.key} through` };
  if (c.values.length === 0) return { pins: false, reason: `${label} lists no values` };
  if (kind === 'ip') return ipEffect(c, label);
  if (c.base === 'ipaddress') return { pins: false, reason: `${label}: IpAddress applies to aws:SourceIp only` };

  const wildcards = WILDCARD_OPERATORS.has(c.base);
  const accounts = new Set<string>();
  const organizations = new Set<string>();
  const unmatchable: string[] = [];
  for (const raw of c.values) {
    const value = resolveVariables(raw, ctx, kind);
    if (value === null) return { pins: false, reason: `${label} ${quoted(raw)} is a policy variable, not a fixed value` };
    // Under StringEquals, * and ? are the characters themselves, which no account id, organization
    // id, ARN of a caller or VPC id contains: the value matches no request, it does not match all.
    if (!wildcards && hasWildcard(value)) {
      unmatchable.push(raw);
      continue;
    }
    switch (kind) {
      case 'account':
        if (wildcards && hasWildcard(value)) return { pins: false, reason: `${label} ${quoted(raw)} is a wildcard` };
        accounts.add(value);
        break;
      case 'arn': {
        const account = arnAccount(value);
        if (account === null) {
          if (wildcards && hasWildcard(value)) return { pins: false, reason: `${label} ${quoted(raw)} matches any ARN` };
          accounts.add(UNKNOWN_ACCOUNT);
        } else if (wildcards && hasWildcard(account)) {
          return { pins: false, reason: `${label} ${quoted(raw)} allows any account` };
        } else {
          accounts.add(/^\d{12}$/.test(account) ? account : UNKNOWN_ACCOUNT);
        }
        break;
      }
      case 'organization':
        if (wildcards && hasWildcard(value)) return { pins: false, reason: `${label} ${quoted(raw)} is a wildcard` };
        organizations.add(value);
        break;
      case 'organization-path': {
        const organization = value.split('/')[0];
        if (!organization || (wildcards && hasWildcard(organization))) return { pins: false, reason: `${label} ${quoted(raw)} does not name an organization` };
        organizations.add(organization);
        break;
      }
      case 'network':
        if (wildcards && hasWildcard(value)) return { pins: false, reason: `${label} ${quoted(raw)} is a wildcard` };
        break;
    }
  }
  if (unmatchable.length === c.values.length) {
    return {
      pins: true,
      accounts: [],
      reason: `${label} ${listed(unmatchable.map((v) => quoted(v)))}: under ${c.operator} * and ? are literal characters that no caller's ${c.key} contains, so no request matches`,
    };
  }
  const values = listed(c.values.filter((v) => !unmatchable.includes(v)).map((v) => quoted(v)));
  const ignored = unmatchable.length ? ` (${listed(unmatchable.map((v) => quoted(v)))} match no caller: * and ? are literal under ${c.operator})` : '';
  if (kind === 'network') return { pins: true, network: `${c.key} ${values}`, reason: `${label} pins the caller's network to ${values}${ignored}` };
  if (organizations.size) return { pins: true, organizations: [...organizations], reason: `${label} pins the caller to organization ${values}${ignored}` };
  return { pins: true, accounts: [...accounts], reason: `${label} pins the caller to ${values}${ignored}` };
}

/** a ∩ b, where "unknown" in one set may stand for any account of the other. */
export function intersectAccounts(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) if (b.has(x)) out.add(x);
  if (a.has(UNKNOWN_ACCOUNT)) for (const x of b) out.add(x);
  if (b.has(UNKNOWN_ACCOUNT)) for (const x of a) out.add(x);
  if (!(a.has(UNKNOWN_ACCOUNT) && b.has(UNKNOWN_ACCOUNT))) out.delete(UNKNOWN_ACCOUNT);
  return out;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** Most statements have no Condition: they share this one, never changed. */
const NO_PINS: Pins = Object.freeze({ accounts: null, organizations: null, network: [], pinning: [], loose: [] }) as Pins;

export function pinsOf(conditions: readonly ConditionEntry[], ctx: AnalysisContext, budget: WorkBudget): Pins {
  if (conditions.length === 0) return NO_PINS;
  const pins: Pins = { accounts: null, organizations: null, network: [], pinning: [], loose: [] };
  for (const condition of conditions) {
    budget.spend(condition.values.length + 1);
    const effect = conditionEffect(condition, ctx);
    if (!effect.pins) {
      pins.loose.push(effect);
      continue;
    }
    pins.pinning.push(effect);
    if (effect.accounts) pins.accounts = pins.accounts ? intersectAccounts(pins.accounts, new Set(effect.accounts)) : new Set(effect.accounts);
    if (effect.organizations) {
      const orgs = new Set(effect.organizations.map((o) => (o === OWNER_ORGANIZATION ? o : o.toLowerCase())));
      pins.organizations = pins.organizations ? intersect(pins.organizations, orgs) : orgs;
    }
    if (effect.network) pins.network.push(effect.network);
  }
  return pins;
}

/** Both sets of conditions at once (they are ANDed): what pinsOf would give for the two lists together. */
export function mergePins(a: Pins, b: Pins, budget: WorkBudget): Pins {
  if (a.pinning.length + a.loose.length === 0) return b;
  if (b.pinning.length + b.loose.length === 0) return a;
  budget.spend(a.pinning.length + a.loose.length + b.pinning.length + b.loose.length);
  const accounts = a.accounts && b.accounts ? intersectAccounts(a.accounts, b.accounts) : (a.accounts ?? b.accounts);
  const organizations = a.organizations && b.organizations ? intersect(a.organizations, b.organizations) : (a.organizations ?? b.organizations);
  return { accounts, organizations, network: [...a.network, ...b.network], pinning: [...a.pinning, ...b.pinning], loose: [...a.loose, ...b.loose] };
}
