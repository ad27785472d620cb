import type { Config } from '../../config/config';
import type { CloudTrailRecord } from '../../events/record';
import { analyzeIdentityPolicy, type IdentityPolicyAnalysis, PolicyError, WorkBudget } from '../../policy';
import { globMatches } from '../../policy/glob';
import { partitionOfArn } from '../../resources/arn';
import { managedPolicy, principalOfRequest } from '../../resources/iam';
import type { PolicyDocumentLookup } from '../../resources/policyDocuments';
import type { ResourceRef } from '../../resources/resource';
import type { CheckContext } from '../check';
import { IDENTITY_POLICY_EVENT_NAMES } from './events';

/** How the policy came into force. */
export type ChangeKind = 'inline' | 'attached' | 'default-version';

/** Where the document that was judged came from. */
export type DocumentSource = 'event' | 'iam' | 'aws-managed-policy-table';

export type DocumentVerdict =
  | { status: 'analysed'; analysis: IdentityPolicyAnalysis; source: DocumentSource }
  /** The event names a policy the lookup could not give (offline: not an AWS managed policy). */
  | { status: 'unavailable'; reason: string }
  /** The document does not parse or is beyond the analyzer's bounds. */
  | { status: 'invalid'; error: PolicyError; source: DocumentSource };

/** One identity-policy change, read from its record: who gets the policy, which policy, and what it grants. */
export interface IdentityPolicyChange {
  kind: ChangeKind;
  /** The role, user or group, for an inline policy or an attachment. */
  principal: ResourceRef | null;
  /** The policy: a managed one (ARN), or an inline one (name only). */
  policy: { name: string | null; arn: string | null; versionId: string | null; awsManaged: boolean };
  /** What the finding is about: the principal, or the policy for a new default version. */
  resource: ResourceRef;
  /** For a new default version: the principals it is attached to (null: not known). */
  attachedTo: ResourceRef[] | null;
  attachedToUnavailable: string | null;
  /** For a new default version: the version to go back to, when known. */
  previousVersionId: string | null;
  document: DocumentVerdict;
  /** The change is exempt: its principal (or policy, or every principal of the policy) matches identityExemptPrincipals. */
  exempt: boolean;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The version a CreatePolicyVersion made (its response), or a SetDefaultPolicyVersion names. */
function versionOf(record: CloudTrailRecord): string | null {
  if (record.eventName === 'SetDefaultPolicyVersion') return text(record.requestParameters.versionId);
  const version = record.responseElements.policyVersion;
  return typeof version === 'object' && version !== null ? text((version as Record<string, unknown>).versionId) : null;
}

function judge(document: unknown, record: CloudTrailRecord, source: DocumentSource, partition: string): DocumentVerdict {
  try {
    return { status: 'analysed', analysis: analyzeIdentityPolicy(document, { kind: 'account', account: record.account, partition }), source };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return { status: 'invalid', error, source };
  }
}

function matchesAny(patterns: readonly string[], arn: string | null): boolean {
  if (!arn) return false;
  const budget = new WorkBudget();
  return patterns.some((p) => globMatches(p, arn, budget));
}

function isExempt(config: Config, principal: ResourceRef | null, policyArn: string | null, attachedTo: ResourceRef[] | null): boolean {
  const patterns = config.identityExemptPrincipals;
  if (patterns.length === 0) return false;
  if (principal) return matchesAny(patterns, principal.arn);
  if (matchesAny(patterns, policyArn)) return true;
  // A new default version reaches every principal the policy is attached to: exempt only if each one is.
  return attachedTo !== null && attachedTo.length > 0 && attachedTo.every((p) => matchesAny(patterns, p.arn));
}

/** A policy put on, or attached to, one principal: the finding is about that principal. */
function principalChange(kind: 'inline' | 'attached', principal: ResourceRef, policy: IdentityPolicyChange['policy'], document: DocumentVerdict, exempt: boolean): IdentityPolicyChange {
  return { kind, principal, policy, resource: principal, attachedTo: null, attachedToUnavailable: null, previousVersionId: null, document, exempt };
}

function readChange(record: CloudTrailRecord, config: Config, lookup: PolicyDocumentLookup | undefined): IdentityPolicyChange | null {
  const req = record.requestParameters;
  const name = record.eventName;
  if (!(IDENTITY_POLICY_EVENT_NAMES as readonly string[]).includes(name) && !(name === 'CreatePolicyVersion' && (req.setAsDefault === true || req.setAsDefault === 'true'))) return null;
  const policyArn = text(req.policyArn);
  const partition = partitionOfArn(policyArn ?? record.userIdentity?.arn ?? null);
  const managed = policyArn ? managedPolicy(policyArn) : null;
  if (name.startsWith('Put')) {
    const principal = principalOfRequest(req, record.account, partition);
    if (!principal) return null;
    const policy = { name: text(req.policyName), arn: null, versionId: null, awsManaged: false };
    const document = judge(req.policyDocument, record, 'event', partition);
    return principalChange('inline', principal, policy, document, isExempt(config, principal, null, null));
  }
  if (!policyArn) return null;
  const policy = { name: managed?.name ?? null, arn: policyArn, versionId: null as string | null, awsManaged: managed?.awsManaged ?? false };
  const need = name === 'CreatePolicyVersion' ? 'attachments' : 'document';
  const found = lookup?.policy(policyArn, name === 'SetDefaultPolicyVersion' ? versionOf(record) : null, need) ?? { status: 'unavailable' as const, reason: 'no policy document can be read here' };
  if (name.startsWith('Attach')) {
    const principal = principalOfRequest(req, record.account, partition);
    if (!principal) return null;
    const document: DocumentVerdict = found.status === 'found' ? judge(found.document, record, found.source, partition) : { status: 'unavailable', reason: found.reason };
    if (found.status === 'found') policy.versionId = found.versionId;
    return principalChange('attached', principal, policy, document, isExempt(config, principal, policyArn, null));
  }
  // CreatePolicyVersion (as the default) carries its document; SetDefaultPolicyVersion names a version.
  policy.versionId = versionOf(record);
  const fromEvent = name === 'CreatePolicyVersion';
  let document: DocumentVerdict;
  if (fromEvent) document = judge(req.policyDocument, record, 'event', partition);
  else document = found.status === 'found' ? judge(found.document, record, found.source, partition) : { status: 'unavailable', reason: found.reason };
  const attachedTo = found.status === 'found' ? found.attachedTo : null;
  const attachedToUnavailable = found.status === 'found' ? (found.attachedToUnavailable ?? null) : `not listed: ${found.reason}`;
  const resource: ResourceRef = managed ?? { type: 'AwsIamPolicy', arn: policyArn, name: null, id: policyArn };
  return {
    kind: 'default-version',
    principal: null,
    policy,
    resource: { type: resource.type, arn: resource.arn, name: resource.name, id: resource.id },
    attachedTo,
    attachedToUnavailable,
    previousVersionId: found.status === 'found' ? found.previousVersionId : null,
    document,
    exempt: isExempt(config, null, policyArn, attachedTo),
  };
}

/** The three checks judge the same record: it is read once per record, config and lookup. */
const changes = new WeakMap<CloudTrailRecord, { config: Config; lookup: PolicyDocumentLookup | undefined; change: IdentityPolicyChange | null }>();

/** The change a record makes, or null when it is not one (a record without the fields that name a principal or a policy). */
export function identityPolicyChange(record: CloudTrailRecord, ctx: CheckContext): IdentityPolicyChange | null {
  const cached = changes.get(record);
  if (cached && cached.config === ctx.config && cached.lookup === ctx.policies) return cached.change;
  const change = readChange(record, ctx.config, ctx.policies);
  changes.set(record, { config: ctx.config, lookup: ctx.policies, change });
  return change;
}
