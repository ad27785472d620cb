import { PolicyError, type SecretScope } from '../policy';
import { nameFromArn } from '../resources/secret';
import type { Principal } from '../policy/types';
import { parseArn } from '../resources/arn';
import { AuthorizationDetails } from './authorizationDetails';
import { IdentityEvaluator } from './identityAccess';
import { KeyAccess } from './keyPolicy';
import { namesWholeAccount, principalCovers, principalTypeOf } from './principalType';
import { appliesTo, type PrincipalStatement, principalStatements } from './statements';
import { readTrust } from './trust';
import type { AccessGrant, AccessInput, AccessReport, Reader, RoleDetail, UserDetail } from './types';

/** Always left out: what decides access but cannot be read from the account's IAM, the secret and its key. */
export const ALWAYS_NOT_CONSIDERED = [
  'service control policies (SCPs) of AWS Organizations',
  'resource control policies (RCPs) of AWS Organizations',
  'session policies passed when a role is assumed or a federation token is issued',
  "identity policies of other accounts: a principal of another account also needs its own account's identity policies to allow secretsmanager:GetSecretValue and kms:Decrypt",
  'conditions on the request (source IP, VPC endpoint, MFA, principal tags, time): listed with each grant, not decided',
  'KMS grants on the key',
  'who may assume a role that may assume a reader (role chaining beyond one step)',
];

const READ = ['secretsmanager:getsecretvalue'];
const OTHER_ACCOUNT = "its own account's identity policies must also allow secretsmanager:GetSecretValue";

/**
 * Who can call GetSecretValue on the secret: the account's users (directly or through a group)
 * and roles whose identity policies allow it once the permission boundary and every Deny are
 * applied, the principals the secret's resource policy allows, who may assume each role that
 * reads, and which of them the KMS key refuses. Pure: the caller reads IAM, the secret and the key.
 */
export function whoCanRead(input: AccessInput): AccessReport {
  const arn = input.secret.ARN;
  const parts = parseArn(arn);
  const owner = parts && /^\d{12}$/.test(parts.account) ? parts.account : null;
  const name = input.secret.Name ?? nameFromArn(arn) ?? arn;
  const tags: Record<string, string> = {};
  for (const tag of input.secret.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  const scope: SecretScope = { kind: 'secret', arn, name, tags };

  const notes = new Set<string>();
  const note = (text: string) => notes.add(text);
  const details = new AuthorizationDetails(input.authorizationDetails);
  const identity = new IdentityEvaluator(details, scope, note);
  const key = new KeyAccess(input.key ?? null, owner);
  if (key.error !== null) note(`the key policy of ${input.key?.arn}: ${key.error}; nobody is shown as blocked by the key`);
  if (key.customerManaged) note('kms:Decrypt in the identity policies of principals that a key policy admits by their account: shown as a condition, not decided');
  const resource = readResourcePolicy(input.resourcePolicy, note);

  const readers: Reader[] = [];
  const named = new Set<string>();
  const principals: (readonly [RoleDetail | UserDetail, 'AwsIamRole' | 'AwsIamUser'])[] = [
    ...details.roles.map((r) => [r, 'AwsIamRole'] as const),
    ...details.users.map((u) => [u, 'AwsIamUser'] as const),
  ];
  for (const [principal, type] of principals) {
    const principalArn = principal.Arn;
    if (!principalArn) continue;
    named.add(principalArn.toLowerCase());
    const reader = accountReader(principal, principalArn, type);
    if (reader) readers.push(reader);
  }

  for (const statement of resource.filter((s) => s.effect === 'Allow')) {
    for (const reader of resourceOnlyReaders(statement)) readers.push(reader);
  }
  readers.sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : 0));

  return {
    secret: {
      arn,
      name,
      account: owner,
      region: parts?.region || null,
      kmsKey: input.key?.arn ?? 'aws/secretsmanager',
      customerManagedKey: key.customerManaged,
      hasResourcePolicy: Boolean(input.resourcePolicy),
    },
    readers,
    notConsidered: [...ALWAYS_NOT_CONSIDERED, ...notes],
  };

  function accountReader(principal: RoleDetail | UserDetail, principalArn: string, type: 'AwsIamRole' | 'AwsIamUser'): Reader | null {
    const covers = (p: Principal) => principalCovers(p, principalArn, owner);
    // Principals named one by one. The owner's whole account in its own secret's policy only defers
    // to identity policies; anyone ("*", NotPrincipal) is the one Anyone reader, not every identity again.
    const resourceGrants = resource
      .filter((s) => s.effect === 'Allow' && !s.notPrincipal && s.principals.some((p) => p.kind === 'account' && covers(p) && !(namesWholeAccount(p) && p.account === owner)))
      .map(resourceGrant);
    const resourceDenies = resource.filter((s) => s.effect === 'Deny' && appliesTo(s, covers));
    const access = identity.access(principal, principalArn);
    if (access.deniedBy !== null || resourceDenies.some((d) => d.conditions.length === 0)) return null;
    // A boundary limits what identity policies grant, and what a resource policy grants to a role's ARN; not to a user's.
    const identityGrants = access.boundaryPermits ? access.grants : [];
    const viaResource = type === 'AwsIamUser' || access.boundaryPermits ? resourceGrants : [];
    if (identityGrants.length === 0 && viaResource.length === 0) return null;
    const verdict = key.verdict(principalArn, owner);
    const denyTexts = resourceDenies.map((d) => `unless resource policy ${d.statement} denies it when ${d.conditions.join(' and ')}`);
    const limits = (source: string | null) => [...access.denyConditions.filter((d) => d.source !== source).map((d) => d.text), ...denyTexts, ...(verdict.blockedBy === null ? verdict.conditions : [])];
    const grants: AccessGrant[] = [
      ...identityGrants.map((g, i) => ({ ...g, conditions: [...g.conditions, ...access.boundaryConditions, ...limits(access.grantSources[i])] })),
      ...viaResource.map((g) => ({ ...g, conditions: [...g.conditions, ...(type === 'AwsIamRole' ? access.boundaryConditions : []), ...limits(null)] })),
    ];
    const trust = type === 'AwsIamRole' ? readTrust((principal as RoleDetail).AssumeRolePolicyDocument) : { entities: [], error: null };
    if (trust.error !== null) note(`the trust policy of ${principalArn} could not be read: ${trust.error}`);
    return {
      principal: principalArn,
      type,
      account: owner,
      otherAccount: false,
      via: [...(identityGrants.length ? ['identity' as const] : []), ...(viaResource.length ? ['resource' as const] : [])],
      grants,
      assumableBy: trust.entities,
      blockedBy: verdict.blockedBy,
    };
  }

  /** Principals an Allow of the resource policy names that are not identities of this account's authorization details. */
  function resourceOnlyReaders(statement: PrincipalStatement): Reader[] {
    const out: Reader[] = [];
    const candidates: Principal[] = statement.notPrincipal ? [{ kind: 'any', value: '*', account: null }] : statement.principals;
    for (const p of candidates) {
      if (p.kind === 'account' && p.account === owner && (namesWholeAccount(p) || named.has(p.value.toLowerCase()))) continue;
      const covers = (q: Principal) => deniedPrincipalCovers(q, p);
      const denies = resource.filter((s) => s.effect === 'Deny' && appliesTo(s, covers));
      if (denies.some((d) => d.conditions.length === 0)) continue;
      const otherAccount = p.account !== null && p.account !== owner;
      const verdict = p.kind === 'service' ? { blockedBy: null, conditions: [] } : anyoneVerdict(p);
      const grant = resourceGrant(statement);
      grant.conditions.push(
        ...(statement.notPrincipal ? [`except ${statement.principals.map((q) => q.value).join(', ')}`] : []),
        ...(otherAccount ? [OTHER_ACCOUNT] : []),
        ...(p.kind === 'account' && p.account === owner ? ["not found in the account's authorization details"] : []),
        ...denies.map((d) => `unless resource policy ${d.statement} denies it when ${d.conditions.join(' and ')}`),
        ...(verdict.blockedBy === null ? verdict.conditions : []),
      );
      const existing = out.find((r) => r.principal === p.value);
      if (existing) {
        existing.grants.push(grant);
        continue;
      }
      out.push({ principal: p.value, type: principalTypeOf(p), account: p.account, otherAccount, via: ['resource'], grants: [grant], assumableBy: [], blockedBy: verdict.blockedBy });
    }
    return out;
  }

  /** Anyone includes the owner's principals, whom the AWS managed key admits: a condition, not a block. */
  function anyoneVerdict(p: Principal) {
    if (p.kind !== 'any') return key.verdict(p.value, p.account);
    const verdict = key.verdict('*', owner);
    const foreign = key.verdict('*', null);
    if (verdict.blockedBy !== null) return verdict;
    return foreign.blockedBy === null ? verdict : { blockedBy: null, conditions: [...verdict.conditions, `only principals of ${owner ?? 'the owner account'}: ${foreign.blockedBy}`] };
  }
}

/** A Deny's principal `q` applies to the allowed principal `p`: anyone covers everyone, an account covers its identities. */
function deniedPrincipalCovers(q: Principal, p: Principal): boolean {
  if (q.kind === 'any') return true;
  if (p.kind === 'any') return false;
  if (p.kind === 'service' || p.kind === 'federated') return q.kind === p.kind && q.value.toLowerCase() === p.value.toLowerCase();
  return principalCovers(q, p.value, p.account);
}

function resourceGrant(statement: PrincipalStatement): AccessGrant {
  return { via: 'resource', policy: 'resource policy', policyType: 'resource', group: null, statement: statement.statement, conditions: [...statement.conditions] };
}

function readResourcePolicy(document: string | null | undefined, note: (text: string) => void): PrincipalStatement[] {
  if (!document) return [];
  try {
    return principalStatements(document, READ);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    note(`the secret's resource policy could not be read: ${error.message}`);
    return [];
  }
}
