import type { ResourceRef } from './resource';

/** A managed policy as the checks need it, read from IAM by the function or from the shipped table offline. */
export interface PolicyLookupFound {
  status: 'found';
  /** The policy document of the version asked for (IAM's URL-encoded text, or the object); null when only its attachments were asked for. */
  document: unknown;
  /** The version the document is; null when unknown. */
  versionId: string | null;
  /** Where it came from, for the finding's details. */
  source: 'iam' | 'aws-managed-policy-table';
  /** The roles, users and groups it is attached to; null when they could not be listed. */
  attachedTo: ResourceRef[] | null;
  /** Why attachedTo is null, when it is. */
  attachedToUnavailable?: string;
  /** The most recent other version: where set-default-policy-version goes back to; null when unknown. */
  previousVersionId: string | null;
}

export interface PolicyLookupUnavailable {
  status: 'unavailable';
  /** Why the document cannot be had, in words: "not in the table of AWS managed policies", "AccessDenied: ...". */
  reason: string;
}

export type PolicyLookupResult = PolicyLookupFound | PolicyLookupUnavailable;

/**
 * The managed policies that an IAM event names only by ARN (Attach*Policy, SetDefaultPolicyVersion)
 * or whose attachments a finding lists (a new default version). Synchronous for the checks: the
 * function reads what the record needs before they run; replay answers from the shipped table.
 */
export interface PolicyDocumentLookup {
  /**
   * The policy at `versionId`, or at its default version when null. `need`: its document, or only
   * who it is attached to (a new version whose document the event carries).
   */
  policy(arn: string, versionId: string | null, need: 'document' | 'attachments'): PolicyLookupResult;
}
