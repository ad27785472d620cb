import type { Config } from '../../config/config';
import type { CloudTrailRecord } from '../../events/record';
import { accountFromArn, secretOf } from '../../events/secret';
import { analyzePolicy, PolicyError, type AnalysisContext, type PolicyAnalysis } from '../../policy';

export type PolicyVerdict = { analysis: PolicyAnalysis; error: null } | { analysis: null; error: PolicyError };

/**
 * The public, cross-account and changed checks each need the verdict on the same record; it is
 * computed once per record (and config) and forgotten with the record.
 */
const verdicts = new WeakMap<CloudTrailRecord, { config: Config; verdict: PolicyVerdict }>();

/** Whose secret it is (the ARN says best; else the account the event happened in) and whom the operator trusts. */
export function analysisContext(record: CloudTrailRecord, config: Config): AnalysisContext {
  return {
    owner: accountFromArn(secretOf(record).arn) ?? record.account,
    trustedAccounts: config.trustedAccounts,
    trustedOrgId: config.trustedOrgId ?? null,
  };
}

/** The verdict on PutResourcePolicy's new policy (requestParameters.resourcePolicy). */
export function policyVerdict(record: CloudTrailRecord, config: Config): PolicyVerdict {
  const cached = verdicts.get(record);
  if (cached && cached.config === config) return cached.verdict;
  let verdict: PolicyVerdict;
  try {
    verdict = { analysis: analyzePolicy(record.requestParameters.resourcePolicy, analysisContext(record, config)), error: null };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    verdict = { analysis: null, error };
  }
  verdicts.set(record, { config, verdict });
  return verdict;
}

/** BlockPublicPolicy as the caller asked for it: true, false, or null when the record does not say. */
export function blockPublicPolicyRequested(record: CloudTrailRecord): boolean | null {
  const value = record.requestParameters.blockPublicPolicy;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return null;
}

/** A successful PutResourcePolicy: the only record the public / cross-account / changed checks judge. */
export function isAppliedPolicy(record: CloudTrailRecord): boolean {
  return record.eventName === 'PutResourcePolicy' && !record.errorCode;
}
