import { AuthorizationDetails } from '../../../access/authorizationDetails';
import { IdentityEvaluator } from '../../../access/identityAccess';
import { readTrust } from '../../../access/trust';
import type { AuthorizationDetailsPage, TrustedEntity } from '../../../access/types';
import type { Finding } from '../../../findings/finding';
import type { InventorySecret } from '../../../resources/secret';
import type { ReportedCheck } from '../../check';
import { aboutCheck, shellQuote } from '../../finding';

export const secretsReadableFromOtherAccount: ReportedCheck = {
  kind: 'reported',
  id: 'secrets-readable-from-other-account',
  family: 'inventory',
  title: 'Role that another account may assume reads secrets',
  description:
    "An IAM role's trust policy lets an account outside the trusted set (the owner, trustedAccounts and, in central mode, the member accounts) assume it, and its identity policies, after its permission boundary and every Deny, allow secretsmanager:GetSecretValue on secrets of the account. Whoever controls that account can read those secrets; IAM Access Analyzer's external-access findings look at resource policies only and do not report it. Resource policies, KMS key policies and SCPs are not read by the scan: `secretwatch access SECRET` gives the whole answer for one secret.",
  severityRule: 'HIGH: values of secrets are readable from outside the trusted accounts.',
  severities: ['HIGH'],
  monitor: 'inventoryScan',
  events: [],
  settings: ['trustedAccounts'],
};

/** Secret names shown per finding; the rest is counted. */
const MAX_NAMED_SECRETS = 10;

export interface OtherAccountAccessInput {
  /** The scanned account: the owner of the roles and the secrets. */
  account: string;
  region: string | null;
  authorizationDetails: readonly AuthorizationDetailsPage[];
  /** The account's secrets in the scanned region (pending deletion ones are left out by the caller). */
  secrets: readonly InventorySecret[];
  /** Accounts whose principals may assume roles without a finding: the owner is always one. */
  trustedAccounts: readonly string[];
}

/** The outside accounts (or "*") that an entity of the trust policy stands for; none when it is trusted or not an AWS account. */
function outsideAccount(entity: TrustedEntity, trusted: ReadonlySet<string>): string | null {
  if (entity.type === 'Anyone') return '*';
  if (entity.type === 'AwsService') return null;
  // A web identity or SAML provider of another account is that account's; a public one (accounts.google.com) is anyone's.
  if (entity.type === 'Federated') return entity.account === null ? entity.principal : trusted.has(entity.account) ? null : entity.account;
  if (entity.account === null) return entity.principal;
  return trusted.has(entity.account) ? null : entity.account;
}

/**
 * One finding per role that an outside account may assume and that can read secrets of the
 * inventory through its identity policies. Pure: the caller reads IAM once per scan and account.
 * Roles nobody outside may assume are not evaluated at all, so the cost follows those few roles.
 */
export function rolesReadableFromOtherAccounts(input: OtherAccountAccessInput): Finding[] {
  const trusted = new Set([input.account, ...input.trustedAccounts]);
  const details = new AuthorizationDetails(input.authorizationDetails);
  const candidates: { arn: string; name: string; role: (typeof details.roles)[number]; outside: string[]; entities: TrustedEntity[] }[] = [];
  for (const role of details.roles) {
    if (!role.Arn) continue;
    const { entities } = readTrust(role.AssumeRolePolicyDocument);
    const outsiders = entities.filter((e) => outsideAccount(e, trusted) !== null);
    if (outsiders.length === 0) continue;
    const outside = [...new Set(outsiders.map((e) => outsideAccount(e, trusted) as string))].sort();
    candidates.push({ arn: role.Arn, name: role.RoleName ?? role.Arn, role, outside, entities: outsiders });
  }
  if (candidates.length === 0) return [];

  const readable = new Map<string, string[]>(candidates.map((c) => [c.arn, []]));
  for (const secret of input.secrets) {
    const evaluator = new IdentityEvaluator(details, { kind: 'secret', arn: secret.arn, name: secret.name, tags: secret.tags }, () => {});
    for (const c of candidates) {
      const access = evaluator.access(c.role, c.arn);
      if (access.deniedBy === null && access.boundaryPermits && access.grants.length > 0) readable.get(c.arn)?.push(secret.name);
    }
  }

  const findings: Finding[] = [];
  for (const c of candidates) {
    const names = readable.get(c.arn) ?? [];
    if (names.length === 0) continue;
    const all = names.length === input.secrets.length;
    const which = all ? `all ${names.length} secret(s)` : `${names.length} secret(s)`;
    findings.push({
      check: secretsReadableFromOtherAccount.id,
      severity: 'HIGH',
      title: `Role ${c.name} may be assumed from ${c.outside.join(', ')} and reads ${which}${input.region ? ` in ${input.region}` : ''}`,
      resource: { type: 'AwsIamRole', arn: c.arn, name: c.name, id: c.arn },
      account: input.account,
      region: input.region,
      actor: null,
      event: null,
      details: {
        // Neither the trust policy's nor the policies' change dates are in the authorization details.
        nonCompliantSince: null,
        accounts: c.outside,
        assumableBy: c.entities.map((e) => ({ principal: e.principal, type: e.type, statement: e.statement, conditions: e.conditions })),
        secrets: { count: names.length, all, names: names.slice(0, MAX_NAMED_SECRETS) },
      },
      remediation: `Remove ${c.outside.join(', ')} from the role's trust policy, or take secretsmanager:GetSecretValue out of its policies; see who else reads one of them with secretwatch access <secret>. Review: aws iam get-role --role-name ${shellQuote(c.name)} --query Role.AssumeRolePolicyDocument`,
      ...aboutCheck(secretsReadableFromOtherAccount),
    });
  }
  return findings;
}
