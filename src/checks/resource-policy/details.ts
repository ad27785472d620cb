import type { CloudTrailRecord } from '../../events/record';
import type { PolicyAnalysis, StatementVerdict } from '../../policy';
import { listed } from '../../policy/text';
import { blockPublicPolicyRequested } from './verdict';

/** A finding lists at most this many statements (a hostile policy can have thousands); the rest are counted. */
export const MAX_LISTED_STATEMENTS = 20;

/** One statement as the finding shows it: Sid, who it opens the secret to, which actions, and why the conditions do not stop it. */
function statementDetail(s: StatementVerdict): Record<string, unknown> {
  return {
    sid: s.sid,
    index: s.index,
    access: s.access,
    openTo: s.openTo,
    ...(s.accounts.length ? { accounts: s.accounts } : {}),
    ...(s.organizations.length ? { organizations: s.organizations } : {}),
    ...(s.notAction ? { allActionsExcept: s.actions } : { actions: s.actions }),
    allowsGetSecretValue: s.allowsGetSecretValue,
    conditions: s.conditions,
  };
}

/** The details of a verdict finding: `shown` are the statements that earned it (or, for a private policy, every grant). */
export function verdictDetails(record: CloudTrailRecord, analysis: PolicyAnalysis, shown: readonly StatementVerdict[]): Record<string, unknown> {
  const listedStatements = shown.slice(0, MAX_LISTED_STATEMENTS);
  const blockPublicPolicy = blockPublicPolicyRequested(record);
  const notes: string[] = [];
  const uncredited = analysis.denyCount - analysis.creditedDenies.length;
  if (uncredited > 0 && analysis.access !== 'private') {
    notes.push(
      `The policy also has ${uncredited} Deny statement(s) that SecretWatch does not credit: only a Deny on the whole secret (Resource "*") of every action an Allow grants narrows who is allowed, and only when it is to everyone ("*") unless one condition key matches (or always), or to named principals without a condition. They may narrow what is listed here.`,
    );
  }
  if (blockPublicPolicy === true && analysis.access === 'public') {
    notes.push('The call asked for BlockPublicPolicy and Secrets Manager accepted the policy, so its own check did not find it public; review the statements above.');
  }
  return {
    access: analysis.access,
    openTo: [...new Set(shown.map((s) => s.openTo))].slice(0, MAX_LISTED_STATEMENTS),
    ...nonEmpty('accounts', unique(shown.flatMap((s) => s.accounts))),
    ...nonEmpty('organizations', unique(shown.flatMap((s) => s.organizations))),
    allowsGetSecretValue: shown.some((s) => s.allowsGetSecretValue),
    statements: listedStatements.map(statementDetail),
    ...(shown.length > listedStatements.length ? { statementsNotListed: shown.length - listedStatements.length } : {}),
    policyStatements: analysis.statementCount,
    denyStatements: analysis.denyCount,
    ...(analysis.creditedDenies.length ? { denyStatementsCredited: analysis.creditedDenies } : {}),
    blockPublicPolicy,
    ...(notes.length ? { notes } : {}),
  };
}

function nonEmpty(key: string, values: string[]): Record<string, string[]> {
  return values.length ? { [key]: values } : {};
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** "statement #0", "statements \"PublicRead\" and #2": Sid when there is one, else the position. */
export function statementNames(statements: readonly StatementVerdict[]): string {
  const names = statements.map((s) => (s.sid ? `"${s.sid}"` : `#${s.index}`));
  return `${statements.length === 1 ? 'statement' : 'statements'} ${listed(names, 5)}`;
}
