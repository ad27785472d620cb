import type { CloudTrailRecord } from '../../events/record';
import type { Finding } from '../../findings/finding';
import type { CheckContext, CheckMetadata, EventCheck } from '../check';
import { resourceKind, resourceLabel } from '../../resources/resource';
import { findingFromRecord } from '../finding';
import { identityPolicyChange } from './change';
import { undoAdvice } from './commands';
import { IDENTITY_POLICY_EVENTS, IDENTITY_SETTINGS } from './events';
import { changeDetails, type GrantKind, granteeLabel, grantsOf, policyLabel, secretsLabel, severityOf } from './details';

const VERB: Record<GrantKind, string> = {
  reads: 'read the values of',
  administers: 'open to others, overwrite or delete',
};

const EXEMPT_ADVICE = 'If this principal is a break-glass or deployment role that needs it, add its ARN to identityExemptPrincipals.';
const EXEMPT_POLICY_ADVICE = 'If the policy is meant for break-glass or deployment roles only, add its ARN to identityExemptPrincipals.';

/**
 * A successful change that puts in force a policy granting this kind of access on every secret of
 * the account (or, narrowed by conditions, on some). Offline, a policy the table does not hold
 * gives nothing here: replay says so on stderr.
 */
export function grantFinding(check: CheckMetadata, record: CloudTrailRecord, ctx: CheckContext, kind: GrantKind): Finding | null {
  if (record.errorCode) return null;
  const change = identityPolicyChange(record, ctx);
  if (!change || change.exempt) return null;
  const verdict = change.document;
  if (verdict.status === 'unavailable') return null;
  if (verdict.status === 'invalid') {
    // IAM accepted a document the analyzer cannot read: said once, by the read check, rather than lost.
    if (kind !== 'reads') return null;
    return findingFromRecord(check, record, {
      severity: 'MEDIUM',
      title: `${resourceKind(change.resource)} ${resourceLabel(change.resource)} got ${policyLabel(change)}, which SecretWatch could not analyse: ${verdict.error.reason}`,
      resource: change.resource,
      details: { change: change.kind, policy: change.policy, parseError: verdict.error.message, parseErrorReason: verdict.error.reason },
      remediation: `Review the policy by hand for secretsmanager:GetSecretValue on every secret. ${undoAdvice(change)}`,
    });
  }
  const grants = grantsOf(verdict.analysis, kind);
  if (grants.length === 0) return null;
  const severity = severityOf(grants);
  const review =
    kind === 'reads'
      ? ' Then look for values read since: aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetSecretValue'
      : ' Then look for policies, values and deletions changed since: aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventSource,AttributeValue=secretsmanager.amazonaws.com';
  return findingFromRecord(check, record, {
    severity,
    title: `${granteeLabel(change)} ${VERB[kind]} ${secretsLabel(grants, record.account)}${change.principal ? `: ${policyLabel(change)}` : ''}`,
    resource: change.resource,
    details: changeDetails(record, change, verdict.analysis, grants),
    remediation: `${undoAdvice(change)}${review}. ${change.principal ? EXEMPT_ADVICE : EXEMPT_POLICY_ADVICE}`,
  });
}

/** One of the two grant checks: what it says of itself, and which access it looks for. */
export function identityGrantCheck(about: Pick<EventCheck, 'id' | 'title' | 'description' | 'severityRule'>, kind: GrantKind): EventCheck {
  return {
    kind: 'event',
    ...about,
    family: 'identity-policy',
    severities: ['HIGH', 'MEDIUM'],
    monitor: 'identityMonitor',
    events: IDENTITY_POLICY_EVENTS,
    settings: IDENTITY_SETTINGS,
    evaluate(record, ctx) {
      return grantFinding(this, record, ctx, kind);
    },
  };
}
