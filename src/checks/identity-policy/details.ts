import type { CloudTrailRecord } from '../../events/record';
import type { Severity } from '../../findings/severity';
import type { IdentityPolicyAnalysis, IdentityStatementGrant } from '../../policy';
import { listed } from '../../policy/text';
import { resourceKind, resourceLabel } from '../../resources/resource';
import type { IdentityPolicyChange } from './change';

/** A finding lists at most this many statements (a policy can have hundreds); the rest are counted. */
const MAX_LISTED_STATEMENTS = 20;
/** And at most this many attached principals. */
const MAX_LISTED_PRINCIPALS = 50;

export type GrantKind = 'reads' | 'administers';

/** The Allow statements that grant this kind of access on every secret (or on those their conditions pick). */
export function grantsOf(analysis: IdentityPolicyAnalysis, kind: GrantKind): IdentityStatementGrant[] {
  return analysis.grants.filter((g) => (kind === 'reads' ? g.reads : g.administers.length > 0));
}

/** HIGH when one statement reaches every secret whatever their tags and names; MEDIUM when each is narrowed to some. */
export function severityOf(grants: readonly IdentityStatementGrant[]): Severity {
  return grants.some((g) => g.narrowing.length === 0) ? 'HIGH' : 'MEDIUM';
}

/** "inline policy \"AdminAccess\"", "AWS managed policy AdministratorAccess", "policy DevSvcPolicy". */
export function policyLabel(change: IdentityPolicyChange): string {
  const { policy } = change;
  if (change.kind === 'inline') return `inline policy ${JSON.stringify(policy.name ?? 'unnamed')}`;
  const name = policy.name ?? policy.arn ?? 'unknown policy';
  return policy.awsManaged ? `AWS managed policy ${name}` : `managed policy ${name}`;
}

/**
 * The title's subject and verb: "Role ci-deploy can", or for a new default version "New default
 * version v2 of managed policy DevSvcPolicy lets role a and user b" (its principals, when listed).
 */
export function granteeLabel(change: IdentityPolicyChange): string {
  if (change.principal) return `${resourceKind(change.principal)} ${resourceLabel(change.principal)} can`;
  const version = change.policy.versionId ? `New default version ${change.policy.versionId}` : 'A new default version';
  const who = change.attachedTo?.length
    ? listed(
        change.attachedTo.map((p) => `${resourceKind(p).toLowerCase()} ${resourceLabel(p)}`),
        3,
      )
    : 'the principals it is attached to';
  return `${version} of ${policyLabel(change)} lets ${who}`;
}

/** "every secret of account 111122223333", or the narrowed form. */
export function secretsLabel(grants: readonly IdentityStatementGrant[], account: string | null): string {
  const of = account ? ` of account ${account}` : '';
  return severityOf(grants) === 'HIGH' ? `every secret${of}` : `the secrets${of} that its conditions select (tags, names)`;
}

function statementDetail(g: IdentityStatementGrant): Record<string, unknown> {
  return {
    sid: g.sid,
    index: g.index,
    ...(g.notAction ? { allActionsExcept: g.actions } : { actions: g.actions }),
    ...(g.notResource ? { allResourcesExcept: g.resources } : { resources: g.resources }),
    readsSecretValues: g.reads,
    administers: g.administers,
    ...(g.narrowing.length ? { narrowedBy: g.narrowing } : {}),
    ...(g.otherConditions.length ? { conditionsNotNarrowingSecrets: g.otherConditions } : {}),
    ...(g.deniedBy.length ? { actionsDeniedByStatements: g.deniedBy } : {}),
  };
}

/** The finding's details: the grantee, the policy, the statements that earned it, and what stays unknown. */
export function changeDetails(record: CloudTrailRecord, change: IdentityPolicyChange, analysis: IdentityPolicyAnalysis, shown: readonly IdentityStatementGrant[]): Record<string, unknown> {
  const source = change.document.status === 'invalid' || change.document.status === 'analysed' ? change.document.source : null;
  const listedStatements = shown.slice(0, MAX_LISTED_STATEMENTS);
  const notes: string[] = [];
  const uncredited = analysis.denyCount - analysis.creditedDenies.length;
  if (uncredited > 0) notes.push(`The policy has ${uncredited} Deny statement(s) with conditions or on some secrets only: not credited, named with the statements they limit.`);
  notes.push("Service control policies, permissions boundaries and the secrets' own resource policies can still deny what this policy allows; they are not considered here.");
  return {
    change: change.kind,
    ...(change.principal ? { principal: { type: change.principal.type, name: change.principal.name, arn: change.principal.arn } } : {}),
    policy: { ...change.policy, documentSource: source },
    ...(change.kind === 'default-version'
      ? change.attachedTo
        ? { attachedTo: change.attachedTo.slice(0, MAX_LISTED_PRINCIPALS).map((p) => ({ type: p.type, name: p.name, arn: p.arn })), attachedToCount: change.attachedTo.length }
        : { attachedTo: null, attachedToUnavailable: change.attachedToUnavailable }
      : {}),
    secrets: severityOf(shown) === 'HIGH' ? 'all' : 'narrowed by conditions',
    statements: listedStatements.map(statementDetail),
    ...(shown.length > listedStatements.length ? { statementsNotListed: shown.length - listedStatements.length } : {}),
    policyStatements: analysis.statementCount,
    denyStatements: analysis.denyCount,
    ...(analysis.creditedDenies.length ? { denyStatementsCredited: analysis.creditedDenies } : {}),
    ...(record.errorCode ? { errorCode: record.errorCode, errorMessage: record.errorMessage } : {}),
    notes,
  };
}
