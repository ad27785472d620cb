import { CheckNoPublicAccessCommand, type AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { describeSdkError } from './sdkError';

/** Reasons shown per finding; Access Analyzer gives one per public statement. */
const MAX_REASONS = 10;

/** IAM Access Analyzer's verdict on a policy, or why there is none: details.accessAnalyzer. */
export type AccessAnalyzerOpinion =
  | {
      status: 'checked';
      /** PASS: no public access; FAIL: the policy might grant public access. */
      result: string;
      public: boolean;
      message: string | null;
      reasons: { description: string | null; statementId: string | null; statementIndex: number | null }[];
    }
  | { status: 'failed'; reason: string };

/** CheckNoPublicAccess for a secret's policy. Never throws: a failed call is an opinion of its own. */
export async function checkNoPublicAccess(client: AccessAnalyzerClient, policyDocument: string): Promise<AccessAnalyzerOpinion> {
  try {
    const out = await client.send(new CheckNoPublicAccessCommand({ policyDocument, resourceType: 'AWS::SecretsManager::Secret' }));
    if (out.result !== 'PASS' && out.result !== 'FAIL') return { status: 'failed', reason: `unexpected result ${JSON.stringify(out.result ?? null)}` };
    return {
      status: 'checked',
      result: out.result,
      public: out.result === 'FAIL',
      message: out.message ?? null,
      reasons: (out.reasons ?? []).slice(0, MAX_REASONS).map((r) => ({
        description: r.description ?? null,
        statementId: r.statementId ?? null,
        statementIndex: r.statementIndex ?? null,
      })),
    };
  } catch (error) {
    return { status: 'failed', reason: describeSdkError(error) };
  }
}
