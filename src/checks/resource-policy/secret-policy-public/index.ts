import { secretOf } from '../../../events/secret';
import { findingFromRecord, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';
import { policyCommands } from '../commands';
import { statementNames, verdictDetails } from '../details';
import { isAppliedPolicy, policyVerdict } from '../verdict';
import { policyChangeEvents, VERDICT_SETTINGS } from '../events';

export const secretPolicyPublic: EventCheck = {
  kind: 'event',
  id: 'secret-policy-public',
  family: 'resource-policy',
  title: 'Secret made public by its resource policy',
  description:
    'A resource policy was put on a secret with an Allow statement open to any principal (Principal "*", NotPrincipal, a wildcard ARN) that no condition pins to an account, organization or network (aws:SourceIp counts up to /8 for IPv4 and /32 for IPv6), and that no Deny perimeter narrows (a Deny of those actions to everyone unless one such key matches). Anyone with AWS credentials may be able to use the secret, read its value included.',
  severityRule: 'CRITICAL',
  severities: ['CRITICAL'],
  monitor: 'policyMonitor',
  events: policyChangeEvents('PutResourcePolicy'),
  settings: VERDICT_SETTINGS,
  labels: ['policy-verdict', 'public-policy'],
  evaluate(record, ctx) {
    if (!isAppliedPolicy(record)) return null;
    const { analysis } = policyVerdict(record, ctx.config);
    if (analysis?.access !== 'public') return null;
    const secret = secretOf(record);
    const offending = analysis.statements.filter((s) => s.access === 'public');
    const readable = offending.some((s) => s.allowsGetSecretValue);
    const commands = policyCommands(secret, record);
    return findingFromRecord(this, record, {
      severity: 'CRITICAL',
      title: `Secret ${secretLabel(secret)} made public by its resource policy${readable ? ': anyone may read its value' : ''}`,
      secret,
      details: verdictDetails(
        record,
        analysis,
        analysis.statements.filter((s) => s.access !== 'private'),
      ),
      remediation:
        `Revert now by removing the policy: ${commands.remove}. Then put back only the intended statements (without ${statementNames(offending)}): ${commands.put}.` +
        (readable ? ` Its value may have been read meanwhile: rotate it (${commands.rotate}) and look in CloudTrail for GetSecretValue calls from other accounts.` : ''),
    });
  },
};
