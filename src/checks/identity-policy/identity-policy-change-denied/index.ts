import type { EventCheck } from '../../check';
import { findingFromRecord, reviewCallerAdvice } from '../../finding';
import { identityPolicyChange } from '../change';
import { resourceKind, resourceLabel } from '../../../resources/resource';
import { changeDetails, policyLabel } from '../details';
import { IDENTITY_POLICY_EVENTS, IDENTITY_SETTINGS } from '../events';

export const identityPolicyChangeDenied: EventCheck = {
  kind: 'event',
  id: 'identity-policy-change-denied',
  family: 'identity-policy',
  title: 'Refused identity-policy change that would have opened every secret',
  description:
    'Someone tried to put an inline policy on, attach a policy to, or make a new default version for an IAM principal, and IAM refused (access denied, a malformed document, a quota). The policy would have let that principal read or administer every secret of the account. Nothing changed, but an attempt to reach every secret is worth a look.',
  severityRule: 'MEDIUM',
  severities: ['MEDIUM'],
  monitor: 'identityMonitor',
  events: IDENTITY_POLICY_EVENTS,
  settings: IDENTITY_SETTINGS,
  evaluate(record, ctx) {
    if (!record.errorCode) return null;
    const change = identityPolicyChange(record, ctx);
    if (!change || change.exempt || change.document.status !== 'analysed') return null;
    const { analysis } = change.document;
    const grants = analysis.grants.filter((g) => g.reads || g.administers.length > 0);
    if (grants.length === 0) return null;
    const what = grants.some((g) => g.reads) ? 'read' : 'administer';
    return findingFromRecord(this, record, {
      severity: 'MEDIUM',
      title: `Refused (${record.errorCode}): ${policyLabel(change)} would have let ${resourceKind(change.resource).toLowerCase()} ${resourceLabel(change.resource)}${change.principal ? '' : "'s principals"} ${what} every secret of the account`,
      resource: change.resource,
      details: changeDetails(record, change, analysis, grants),
      remediation: reviewCallerAdvice(record),
    });
  },
};
