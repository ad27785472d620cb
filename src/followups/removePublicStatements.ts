import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { analyzeDocument, PolicyError, readPolicyDocument, WorkBudget, type AnalysisContext, type PolicyDocument } from '../policy';
import { parseArn } from '../resources/arn';
import { type NarrowedStatement, withoutAnyonePrincipal } from './narrowPrincipals';
import { describeSdkError } from './sdkError';

export interface RemovedStatement {
  index: number;
  sid: string | null;
}

/** What the remediation did, or why it did nothing: goes into the finding as details.autoRemediation. */
export type RemediationOutcome =
  | {
      status: 'applied';
      action: 'removed-statements';
      removedStatements: RemovedStatement[];
      narrowedStatements?: NarrowedStatement[];
      keptStatements: number;
      blockPublicPolicy: true;
      reason: string;
    }
  | { status: 'applied'; action: 'deleted-policy'; removedStatements: RemovedStatement[]; reason: string }
  | { status: 'not-needed'; reason: string }
  /** The secret the function can reach is not the one the event is about: nothing is touched. */
  | { status: 'skipped'; reason: string }
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
 * Whether the secret that GetResourcePolicy reached is the event's: same account (the owner the
 * verdict was made for) and region. An event forwarded from another account that names its secret
 * only by name reaches this account's secret of the same name, which is not the one that was made
 * public; the function's role can reach no other account's secrets, so this also keeps it to its own.
 */
function outOfScope(reachedArn: string, ctx: AnalysisContext, region: string | null): string | null {
  const arn = parseArn(reachedArn);
  if (!arn) return `Secrets Manager did not say which secret it read (ARN ${JSON.stringify(reachedArn)}); nothing was changed.`;
  const elsewhere = [arn.account !== ctx.owner ? `account ${ctx.owner}` : null, region && arn.region !== region ? `region ${region}` : null].filter(Boolean);
  if (elsewhere.length === 0) return null;
  return `The event is about a secret in ${elsewhere.join(', ')}; the secret of that name this function reaches is ${reachedArn}, another one. Nothing was changed: remediate it from its own account.`;
}

/**
 * The public statements, each made private by taking "*" out of its principal list when it names
 * others beside it (they keep their access), or else removed whole. The narrowed policy is analysed
 * again: a statement still public after narrowing (a condition, a NotPrincipal...) is removed.
 */
function planRemoval(doc: PolicyDocument, publicOnes: readonly RemovedStatement[], ctx: AnalysisContext): { statements: unknown[]; removed: RemovedStatement[]; narrowed: NarrowedStatement[] } {
  const statements = [...doc.statements];
  const narrowed: NarrowedStatement[] = [];
  for (const s of publicOnes) {
    const candidate = withoutAnyonePrincipal(statements[s.index]);
    if (!candidate) continue;
    statements[s.index] = candidate.statement;
    narrowed.push({ index: s.index, sid: s.sid, removedPrincipals: candidate.removed });
  }
  let stillPublic = new Set(publicOnes.map((s) => s.index));
  if (narrowed.length) {
    const budget = new WorkBudget();
    stillPublic = new Set(
      analyzeDocument(readPolicyDocument(withStatements(doc, statements), budget), ctx, budget)
        .statements.filter((s) => s.access === 'public')
        .map((s) => s.index),
    );
  }
  return {
    statements: statements.filter((_, index) => !stillPublic.has(index)),
    removed: publicOnes.filter((s) => stillPublic.has(s.index)),
    narrowed: narrowed.filter((n) => !stillPublic.has(n.index)),
  };
}

function describeNarrowed(narrowed: readonly NarrowedStatement[]): string {
  return narrowed.map((n) => `${n.removedPrincipals.map((p) => JSON.stringify(p)).join(', ')} from ${n.sid ? `"${n.sid}"` : `#${n.index}`}`).join('; ');
}

/**
 * Makes a secret's resource policy private with the smallest change: a statement that lists
 * "*" beside other principals loses only the "*", any other public statement is removed. The
 * policy is read afresh (GetResourcePolicy): the event that triggered this may be stale, and
 * whatever changed since is kept. Only the event's own secret is touched (outOfScope). The rest is
 * written back with BlockPublicPolicy, so that Secrets Manager itself refuses it if it is still
 * public; a policy with nothing left is deleted. Never throws: every failure is an outcome that
 * the finding reports.
 */
export async function removePublicStatements(client: SecretsManagerClient, secretId: string, ctx: AnalysisContext, region: string | null = null): Promise<RemediationOutcome> {
  if (!ctx.owner) return { status: 'skipped', reason: 'The event does not say which account the secret is in; nothing was changed.' };
  let current: string | undefined;
  let reached: string | undefined;
  try {
    const out = await client.send(new GetResourcePolicyCommand({ SecretId: secretId }));
    current = out.ResourcePolicy;
    reached = out.ARN;
  } catch (error) {
    return { status: 'failed', reason: `Could not read the current policy (${describeSdkError(error)}); nothing was changed.` };
  }
  const scope = outOfScope(reached ?? '', ctx, region);
  if (scope) return { status: 'skipped', reason: scope };
  if (!current) return { status: 'not-needed', reason: 'The secret has no resource policy any more; nothing was changed.' };

  let doc: PolicyDocument;
  let plan: ReturnType<typeof planRemoval>;
  try {
    const budget = new WorkBudget();
    doc = readPolicyDocument(current, budget);
    const publicStatements = analyzeDocument(doc, ctx, budget)
      .statements.filter((s) => s.access === 'public')
      .map((s) => ({ index: s.index, sid: s.sid }));
    if (publicStatements.length === 0) {
      return { status: 'not-needed', reason: 'The current policy is no longer public (it changed after this event); it was left as it is.' };
    }
    plan = planRemoval(doc, publicStatements, ctx);
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return { status: 'failed', reason: `The current policy could not be analysed (${error.reason}: ${error.message}); it was left as it is.` };
  }
  const { statements: kept, removed, narrowed } = plan;
  const changed = [...removed, ...narrowed].sort((a, b) => a.index - b.index);

  if (kept.length === 0) {
    try {
      await client.send(new DeleteResourcePolicyCommand({ SecretId: secretId }));
    } catch (error) {
      return { status: 'failed', reason: `Could not delete the policy (${describeSdkError(error)}); it is still public.` };
    }
    return {
      status: 'applied',
      action: 'deleted-policy',
      removedStatements: removed,
      reason: `Every statement of the policy made the secret public (${names(removed)}): the policy was deleted.`,
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
    return { status: 'failed', reason: `Could not write the policy back without ${names(changed)} (${describeSdkError(error)}); it is still public.` };
  }
  const what = [
    removed.length ? `Removed the public statement(s) ${names(removed)}` : null,
    narrowed.length ? `${removed.length ? 'took' : 'Took'} ${describeNarrowed(narrowed)} (the other principals keep their access)` : null,
  ]
    .filter(Boolean)
    .join(' and ');
  const after = narrowed.length ? `put the policy back (${kept.length} statement(s))` : `put the other ${kept.length} back`;
  return {
    status: 'applied',
    action: 'removed-statements',
    removedStatements: removed,
    ...(narrowed.length ? { narrowedStatements: narrowed } : {}),
    keptStatements: kept.length,
    blockPublicPolicy: true,
    reason: `${what} and ${after} with BlockPublicPolicy.`,
  };
}
