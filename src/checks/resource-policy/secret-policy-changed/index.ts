import { secretOf } from '../../../events/secret';
import { listed } from '../../../policy/text';
import { findingFromRecord, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';
import { policyCommands } from '../commands';
import { verdictDetails } from '../details';
import { analysisContext, blockPublicPolicyRequested, isAppliedPolicy, policyVerdict } from '../verdict';
import { policyChangeEvents, VERDICT_SETTINGS } from '../events';

export const secretPolicyChanged: EventCheck = {
  kind: 'event',
  id: 'secret-policy-changed',
  family: 'resource-policy',
  title: 'Secret resource policy changed',
  description:
    "A resource policy was put on a secret and opens it to no one beyond the owner's account, trusted accounts and the trusted organization: worth knowing, not alarming. Or SecretWatch could not analyse it (details.parseError): then nobody has checked whom it opens the secret to, and a person must.",
  severityRule:
    'LOW when the policy keeps access within the owner, trusted accounts and the trusted organization; MEDIUM when the policy could not be analysed (it may be public: SecretWatch cannot say).',
  severities: ['MEDIUM', 'LOW'],
  monitor: 'policyMonitor',
  events: policyChangeEvents('PutResourcePolicy'),
  settings: VERDICT_SETTINGS,
  labels: ['policy-verdict'],
  evaluate(record, ctx) {
    if (!isAppliedPolicy(record)) return null;
    const { analysis, error } = policyVerdict(record, ctx.config);
    if (analysis && analysis.access !== 'private') return null;
    const secret = secretOf(record);
    const label = secretLabel(secret);
    const commands = policyCommands(secret, record);
    if (error) {
      // Not LOW: an unanalysed policy may be public, and a crafted one may be made unreadable on purpose.
      return findingFromRecord(this, record, {
        severity: 'MEDIUM',
        title: `Resource policy of secret ${label} changed and could not be analysed: it may open the secret to anyone`,
        secret,
        details: { analysed: false, parseError: `${error.reason}: ${error.message}`, blockPublicPolicy: blockPublicPolicyRequested(record) },
        remediation: `SecretWatch could not analyse this policy, so it cannot say whom it opens the secret to: review it by hand (${commands.show}) and remove it if it is not expected (${commands.remove}).`,
      });
    }
    const owner = analysisContext(record, ctx.config).owner;
    const within = [
      owner ? `account ${owner}` : "the owner's account",
      ...(ctx.config.trustedAccounts.length ? ['trusted accounts'] : []),
      ...(ctx.config.trustedOrgId ? ['the trusted organization'] : []),
    ];
    return findingFromRecord(this, record, {
      severity: 'LOW',
      title: `Resource policy of secret ${label} changed; access stays within ${listed(within)}`,
      secret,
      details: verdictDetails(record, analysis, analysis.statements),
      remediation: `No action needed if the change was expected. To see the policy: ${commands.show}; to revert it: ${commands.remove}`,
    });
  },
};
