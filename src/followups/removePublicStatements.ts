import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { analyzeDocument, PolicyError, readPolicyDocument, WorkBudget, type AnalysisContext, type PolicyDocument } from '../policy';
import { describeSdkError } from './sdkError';

export interface RemovedStatement {
  index: number;
  sid: string | null;
}

/** What the remediation did, or why it did nothing: goes into the finding as details.autoRemediation. */
export type RemediationOutcome =
  | { status: 'applied'; action: 'removed-statements'; removedStatements: RemovedStatement[]; keptStatements: number; blockPublicPolicy: true; reason: string }
  | { status: 'applied'; action: 'deleted-policy'; removedStatements: RemovedStatement[]; reason: string }
  | { status: 'not-needed'; reason: string }
  | { status: 'failed'; reason: string };

function names(removed: readonly RemovedStatement[]): string {
  return removed.map((s) => (s.sid ? `"${s.sid}"` : `#${s.index}`)).join(', ');
}

/** The document with another Statement list, under the element name it was written with. */
function withStatements(doc: PolicyDocument, statements: unknown[]): Record<string, unknown> {
  const key = Object.keys(doc.document).find((k) => k.toLowerCase() === 'statement') ?? 'Statement';
  return { ...doc.document, [key]: statements };
}

/**
 * Removes from a secret's resource policy exactly the statements that make it public. The policy
 * is read afresh (GetResourcePolicy): the event that triggered this may be stale, and whatever
 * changed since is kept. The rest is written back with BlockPublicPolicy, so that Secrets Manager
 * itself refuses it if it is still public; a policy with nothing left is deleted. Never throws:
 * every failure is an outcome that the finding reports.
 */
export async function removePublicStatements(client: SecretsManagerClient, secretId: string, ctx: AnalysisContext): Promise<RemediationOutcome> {
  let current: string | undefined;
  try {
    current = (await client.send(new GetResourcePolicyCommand({ SecretId: secretId }))).ResourcePolicy;
  } catch (error) {
    return { status: 'failed', reason: `Could not read the current policy (${describeSdkError(error)}); nothing was changed.` };
  }
  if (!current) return { status: 'not-needed', reason: 'The secret has no resource policy any more; nothing was changed.' };

  let doc: PolicyDocument;
  let publicStatements: RemovedStatement[];
  try {
    const budget = new WorkBudget();
    doc = readPolicyDocument(current, budget);
    publicStatements = analyzeDocument(doc, ctx, budget)
      .statements.filter((s) => s.access === 'public')
      .map((s) => ({ index: s.index, sid: s.sid }));
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return { status: 'failed', reason: `The current policy could not be analysed (${error.reason}: ${error.message}); it was left as it is.` };
  }
  if (publicStatements.length === 0) {
    return { status: 'not-needed', reason: 'The current policy is no longer public (it changed after this event); it was left as it is.' };
  }

  const removed = new Set(publicStatements.map((s) => s.index));
  const kept = doc.statements.filter((_, index) => !removed.has(index));
  if (kept.length === 0) {
    try {
      await client.send(new DeleteResourcePolicyCommand({ SecretId: secretId }));
    } catch (error) {
      return { status: 'failed', reason: `Could not delete the policy (${describeSdkError(error)}); it is still public.` };
    }
    return {
      status: 'applied',
      action: 'deleted-policy',
      removedStatements: publicStatements,
      reason: `Every statement of the policy made the secret public (${names(publicStatements)}): the policy was deleted.`,
    };
  }

  let text: string;
  try {
    text = JSON.stringify(withStatements(doc, kept));
  } catch (error) {
    return { status: 'failed', reason: `Could not serialise the remaining policy (${describeSdkError(error)}); it is still public.` };
  }
  try {
    await client.send(new PutResourcePolicyCommand({ SecretId: secretId, ResourcePolicy: text, BlockPublicPolicy: true }));
  } catch (error) {
    return { status: 'failed', reason: `Could not write the policy back without ${names(publicStatements)} (${describeSdkError(error)}); it is still public.` };
  }
  return {
    status: 'applied',
    action: 'removed-statements',
    removedStatements: publicStatements,
    keptStatements: kept.length,
    blockPublicPolicy: true,
    reason: `Removed the public statement(s) ${names(publicStatements)} and put the other ${kept.length} back with BlockPublicPolicy.`,
  };
}
