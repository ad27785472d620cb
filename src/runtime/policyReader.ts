import { GetPolicyCommand, GetPolicyVersionCommand, IAMClient, ListPolicyVersionsCommand, paginateListEntitiesForPolicy } from '@aws-sdk/client-iam';
import { errorField } from '../delivery/log';
import type { CloudTrailRecord } from '../events/record';
import { CLIENT_OPTIONS } from '../followups/clientOptions';
import { describeSdkError } from '../followups/sdkError';
import { accountOfArn, parseArn } from '../resources/arn';
import { iamPrincipal } from '../resources/iam';
import type { PolicyDocumentLookup, PolicyLookupResult } from '../resources/policyDocuments';
import type { ResourceRef } from '../resources/resource';
import type { RecordContextLog, RecordContextReader } from '../monitors/monitor';

/** What a record needs read: the policy's document (at a version, or its default) and who it is attached to. */
interface PolicyNeeds {
  arn: string;
  versionId: string | null;
  document: boolean;
  attachments: boolean;
}

/** A policy attached to more principals than this is listed in part; the finding says how many were listed. */
const MAX_ATTACHMENT_PAGES = 10;

/** Errors that say the document cannot be had, whatever the retries: the event is judged without it. */
const FINAL_ERRORS = new Set(['NoSuchEntityException', 'NoSuchEntity', 'AccessDenied', 'AccessDeniedException', 'InvalidInputException', 'InvalidInput']);

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function policyNeeds(record: CloudTrailRecord): PolicyNeeds | null {
  const req = record.requestParameters;
  const arn = text(req.policyArn);
  if (!arn) return null;
  if (/^Attach(Role|User|Group)Policy$/.test(record.eventName)) return { arn, versionId: null, document: true, attachments: false };
  if (record.eventName === 'SetDefaultPolicyVersion') return { arn, versionId: text(req.versionId), document: true, attachments: true };
  if (record.eventName === 'CreatePolicyVersion' && (req.setAsDefault === true || req.setAsDefault === 'true')) {
    const version = record.responseElements.policyVersion;
    return { arn, versionId: typeof version === 'object' && version !== null ? text((version as Record<string, unknown>).versionId) : null, document: false, attachments: true };
  }
  return null;
}

function isFinal(error: unknown): boolean {
  return FINAL_ERRORS.has(errorField(error).name);
}

/**
 * Reads from IAM the managed policy an identity-policy event names: GetPolicy and GetPolicyVersion
 * for the document, ListPolicyVersions for the version to go back to, ListEntitiesForPolicy for
 * the principals it reaches. A policy that is gone or that this role may not read (another
 * account's, in a central stack) is unavailable to the checks, said in the log; throttling and
 * network errors throw, so the event is retried.
 */
export class IamPolicyReader implements RecordContextReader {
  constructor(private readonly iam: IAMClient) {}

  async read(record: CloudTrailRecord, log: RecordContextLog): Promise<{ policies?: PolicyDocumentLookup }> {
    const needs = policyNeeds(record);
    if (!needs) return {};
    const result = await this.lookup(needs, log);
    if (result.status === 'unavailable') log.warn('identity policy not read: its change is not evaluated', { policyArn: needs.arn, reason: result.reason, eventId: record.eventId });
    return {
      // One policy a record: the one it names.
      policies: { policy: (arn: string): PolicyLookupResult => (arn === needs.arn ? result : { status: 'unavailable', reason: 'not named by this event' }) },
    };
  }

  private async lookup(needs: PolicyNeeds, log: RecordContextLog): Promise<PolicyLookupResult> {
    let versionId = needs.versionId;
    let document: unknown = null;
    if (needs.document) {
      try {
        if (!versionId) versionId = (await this.iam.send(new GetPolicyCommand({ PolicyArn: needs.arn }))).Policy?.DefaultVersionId ?? null;
        if (!versionId) return { status: 'unavailable', reason: 'IAM did not say which version is the default' };
        document = (await this.iam.send(new GetPolicyVersionCommand({ PolicyArn: needs.arn, VersionId: versionId }))).PolicyVersion?.Document ?? null;
      } catch (error) {
        if (isFinal(error)) return { status: 'unavailable', reason: describeSdkError(error) };
        throw error;
      }
      if (document === null) return { status: 'unavailable', reason: 'IAM returned the version without a document' };
    }
    const attached = needs.attachments ? await this.attachments(needs.arn, log) : { attachedTo: null };
    return {
      status: 'found',
      document,
      versionId,
      source: 'iam',
      ...attached,
      previousVersionId: needs.attachments ? await this.previousVersion(needs.arn, versionId, log) : null,
    };
  }

  /** The principals the policy is attached to, named as the finding names them; null with the reason when IAM does not say. */
  private async attachments(arn: string, log: RecordContextLog): Promise<{ attachedTo: ResourceRef[] | null; attachedToUnavailable?: string }> {
    const account = accountOfArn(arn);
    const partition = parseArn(arn)?.partition ?? 'aws';
    const principals: ResourceRef[] = [];
    let pages = 0;
    try {
      for await (const page of paginateListEntitiesForPolicy({ client: this.iam }, { PolicyArn: arn })) {
        for (const r of page.PolicyRoles ?? []) if (r.RoleName) principals.push(iamPrincipal('AwsIamRole', r.RoleName, account, partition));
        for (const u of page.PolicyUsers ?? []) if (u.UserName) principals.push(iamPrincipal('AwsIamUser', u.UserName, account, partition));
        for (const g of page.PolicyGroups ?? []) if (g.GroupName) principals.push(iamPrincipal('AwsIamGroup', g.GroupName, account, partition));
        if (++pages >= MAX_ATTACHMENT_PAGES) return { attachedTo: principals, attachedToUnavailable: `listed the first ${pages} pages only` };
      }
    } catch (error) {
      if (!isFinal(error)) throw error;
      log.warn('principals of the policy not listed', { policyArn: arn, error: errorField(error) });
      return { attachedTo: null, attachedToUnavailable: describeSdkError(error) };
    }
    return { attachedTo: principals };
  }

  /** The most recent version other than the new default: where set-default-policy-version goes back to. */
  private async previousVersion(arn: string, current: string | null, log: RecordContextLog): Promise<string | null> {
    try {
      const versions = (await this.iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions ?? [];
      const others = versions.filter((v) => v.VersionId && v.VersionId !== current).sort((a, b) => (b.CreateDate?.getTime() ?? 0) - (a.CreateDate?.getTime() ?? 0));
      return others[0]?.VersionId ?? null;
    } catch (error) {
      if (!isFinal(error)) throw error;
      log.warn('versions of the policy not listed', { policyArn: arn, error: errorField(error) });
      return null;
    }
  }
}

export function iamPolicyReader(): IamPolicyReader {
  return new IamPolicyReader(new IAMClient(CLIENT_OPTIONS));
}
