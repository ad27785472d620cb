import { secretOf } from '../../../events/secret';
import type { StatementVerdict } from '../../../policy';
import { listed } from '../../../policy/text';
import { findingFromRecord, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';
import { policyCommands } from '../commands';
import { statementNames, verdictDetails } from '../details';
import { isAppliedPolicy, policyVerdict } from '../verdict';
import { policyChangeEvents, VERDICT_SETTINGS } from '../events';

/** "account 999988887777", "organization o-...", or "any account, through a service": for the title. */
function sharedWith(statements: readonly StatementVerdict[]): string {
  const accounts = [...new Set(statements.flatMap((s) => s.accounts))];
  const organizations = [...new Set(statements.flatMap((s) => s.organizations))];
  const parts = [
    ...(accounts.length ? [`${accounts.length === 1 ? 'account' : 'accounts'} ${listed(accounts)}`] : []),
    ...(organizations.length ? [`${organizations.length === 1 ? 'organization' : 'organizations'} ${listed(organizations)}`] : []),
  ];
  return parts.length ? parts.join(' and ') : 'any account, through a service principal';
}

export const secretPolicyCrossAccount: EventCheck = {
  kind: 'event',
  id: 'secret-policy-cross-account',
  family: 'resource-policy',
  title: 'Secret shared with another account by its resource policy',
  description:
    'A resource policy was put on a secret that lets principals of another AWS account use it: an account that is neither the owner nor in trustedAccounts, an organization other than trustedOrgId, or a service principal acting for any account.',
  severityRule: 'HIGH',
  severities: ['HIGH'],
  monitor: 'policyMonitor',
  events: policyChangeEvents('PutResourcePolicy'),
  settings: VERDICT_SETTINGS,
  labels: ['policy-verdict'],
  evaluate(record, ctx) {
    if (!isAppliedPolicy(record)) return null;
    const { analysis } = policyVerdict(record, ctx.config);
    if (analysis?.access !== 'cross-account') return null;
    const secret = secretOf(record);
    const offending = analysis.statements.filter((s) => s.access === 'cross-account');
    const commands = policyCommands(secret, record);
    return findingFromRecord(this, record, {
      severity: 'HIGH',
      title: `Secret ${secretLabel(secret)} shared with ${sharedWith(offending)} by its resource policy`,
      secret,
      details: verdictDetails(record, analysis, offending),
      remediation:
        `If this sharing is not intended, revert it by removing the policy (${commands.remove}) and putting back only the intended statements, without ${statementNames(offending)} (${commands.put}). ` +
        'If it is intended, add the account to trustedAccounts (or the organization as trustedOrgId) so that it is not reported again.',
    });
  },
};
