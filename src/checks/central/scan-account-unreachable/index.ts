import type { Finding } from '../../../findings/finding';
import { aboutCheck, regionArg, shellQuote } from '../../finding';
import type { ReportedCheck } from '../../check';

/**
 * Where the scan of a member account stopped; ListAccounts: the organization's accounts could not
 * be listed, so none was scanned; ScanWorker: the scan worker given that account and region failed
 * on every attempt (a fanned-out scan), so it was not judged.
 */
export type UnreachableStep = 'ListAccounts' | 'AssumeRole' | 'ListSecrets' | 'ScanWorker';

export const scanAccountUnreachable: ReportedCheck = {
  kind: 'reported',
  id: 'scan-account-unreachable',
  family: 'central',
  title: 'Member account not scanned',
  description:
    "The central inventory scan could not scan a member account (listed in scanAccounts, or found by scanOrganization): assuming the account's scan role was refused, or listing its secrets failed. None of that account's secrets were judged in this scan; the other accounts were. With scanOrganization, the organization's accounts themselves could not be listed: then no member account was scanned, and the finding is the central account's.",
  severityRule: 'HIGH whenever a member account cannot be scanned, or the organization cannot be listed: those secrets go unwatched until it can.',
  severities: ['HIGH'],
  monitor: 'inventoryScan',
  events: [],
  settings: [],
};

export interface UnreachableAccount {
  /** The member account; for ListAccounts, the central account (null if even its identity is unknown). */
  account: string | null;
  region: string | null;
  /** The member's scan role; null for ListAccounts. */
  roleArn: string | null;
  step: UnreachableStep;
  /** The error's name and message, e.g. "AccessDenied: not authorized to perform sts:AssumeRole". */
  error: string;
  /** The scan's clock: the finding is new in every scan while the account stays unreachable. */
  at: Date;
}

/** One finding for an account the central scan could not scan: no secret, the account's own. */
export function accountUnreachableFinding(u: UnreachableAccount): Finding {
  const title =
    u.step === 'ListAccounts'
      ? "The organization's accounts could not be listed: no member account was scanned"
      : `${u.account ? `Account ${u.account}` : 'The central account'} could not be scanned${u.region ? ` in ${u.region}` : ''}: ${u.step} failed`;
  return {
    check: scanAccountUnreachable.id,
    severity: 'HIGH',
    title,
    resource: { type: 'AwsAccount', arn: null, name: u.account, id: u.account },
    account: u.account,
    region: u.region,
    actor: null,
    event: null,
    details: { nonCompliantSince: u.at.toISOString(), step: u.step, roleArn: u.roleArn, error: u.error },
    remediation: remediationFor(u),
    ...aboutCheck(scanAccountUnreachable),
  };
}

function remediationFor(u: UnreachableAccount): string {
  switch (u.step) {
    case 'ListAccounts':
      return 'scanOrganization needs the central account to be the management account or a delegated administrator for AWS Organizations (aws organizations register-delegated-administrator, run in the management account), and the inventoryScan role to allow organizations:ListAccounts (the central stack grants it); else list the member accounts in scanAccounts instead. Try: aws organizations list-accounts --max-items 1';
    case 'AssumeRole':
      if (u.roleArn === null)
        return `The central account's own id could not be read, so its scan role in ${u.region ?? 'that region'} could not be named: check the function's credentials and network; try: aws sts get-caller-identity`;
      return `Check that the account has a member stack of this stage in this region (its ScanRoleArn output is ${u.roleArn}) and that the role trusts the central account; try: aws sts assume-role --role-arn ${shellQuote(u.roleArn ?? '')} --role-session-name secretwatch-check`;
    case 'ScanWorker':
      return `The scanWorker function failed on this account and region on every attempt, and the unit went to its dead-letter queue: its log (filter on the account id) has each error; a timeout means the account holds more secrets than one worker run can list at the scan rates (docs/organization.md, "Limits").`;
    case 'ListSecrets':
      return `The role was assumed but listing the secrets failed: check the role's secretsManager permissions and any SCP of the account; try, with the role's credentials: aws secretsmanager list-secrets --max-results 1${regionArg(u.region)}`;
  }
}
