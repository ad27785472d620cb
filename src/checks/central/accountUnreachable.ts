import type { Finding } from '../../findings/finding';
import { regionArg, shellQuote } from '../finding';
import type { CheckMetadata } from '../types';

/** Where the scan of a member account stopped. */
export type UnreachableStep = 'AssumeRole' | 'ListSecrets';

export const scanAccountUnreachable: CheckMetadata = {
  id: 'scan-account-unreachable',
  title: 'Member account not scanned',
  description:
    "The central inventory scan could not scan a member account listed in scanAccounts: assuming the account's scan role was refused, or listing its secrets failed. None of that account's secrets were judged in this scan; the other accounts were.",
  severityRule: 'HIGH whenever a listed account cannot be scanned: its secrets go unwatched until it can.',
  severities: ['HIGH'],
  eventNames: [],
};

export interface UnreachableAccount {
  account: string;
  region: string | null;
  roleArn: string;
  step: UnreachableStep;
  /** The error's name and message, e.g. "AccessDenied: not authorized to perform sts:AssumeRole". */
  error: string;
  /** The scan's clock: the finding is new in every scan while the account stays unreachable. */
  at: Date;
}

/** One finding for an account the central scan could not scan: no secret, the account's own. */
export function accountUnreachableFinding(u: UnreachableAccount): Finding {
  const check = scanAccountUnreachable;
  const remediation =
    u.step === 'AssumeRole'
      ? `Check that the account has a member stack of this stage in this region (its ScanRoleArn output is ${u.roleArn}) and that the role trusts the central account; try: aws sts assume-role --role-arn ${shellQuote(u.roleArn)} --role-session-name secretwatch-check`
      : `The role was assumed but listing the secrets failed: check the role's secretsManager permissions and any SCP of the account; try, with the role's credentials: aws secretsmanager list-secrets --max-results 1${regionArg(u.region)}`;
  return {
    check: check.id,
    severity: 'HIGH',
    title: `Account ${u.account} could not be scanned: ${u.step} failed`,
    secret: { arn: null, name: null, id: null },
    account: u.account,
    region: u.region,
    actor: null,
    event: null,
    details: { nonCompliantSince: u.at.toISOString(), step: u.step, roleArn: u.roleArn, error: u.error },
    remediation,
  };
}
