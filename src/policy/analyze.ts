import { ActionMatcher } from './actions';
import { WorkBudget } from './budget';
import { classifyStatement } from './classify';
import { readPolicyDocument, type PolicyDocument } from './document';
import { PolicyError } from './errors';
import { isPlainObject } from './fields';
import { guardrailOf, type Guardrail } from './guardrails';
import { principalDenyOf, withoutDeniedPrincipals, type PrincipalDeny } from './principalDenies';
import { mergePins, pinsOf, type Pins } from './pins';
import { normalizeStatement, statementLabel } from './statement';
import { ACCESS_RANK, type Access, type AnalysisContext, type ConditionEntry, type PolicyAnalysis, type Statement, type StatementVerdict } from './types';

/**
 * Who a secret's resource policy opens it to. Deny statements never make the verdict more open;
 * a Deny in the one shape whose effect is exact (guardrails.ts) narrows each Allow it covers as
 * its condition would, and every other Deny is not credited. Throws PolicyError, and nothing else,
 * for any input: hostile shapes end in a typed error, and the work is bounded (budget.ts).
 */
export function analyzePolicy(input: unknown, ctx: AnalysisContext, budget: WorkBudget = new WorkBudget()): PolicyAnalysis {
  try {
    return analyzeDocument(readPolicyDocument(input, budget), ctx, budget);
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    // A defect of the analyzer, not of the input: still a typed outcome, so the finding goes out.
    throw new PolicyError('internal-error', `analysis failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

interface DistinctGuardrail {
  guardrail: Guardrail;
  /** The positions of every Deny statement that is this same guardrail. */
  indexes: number[];
}

/** Guardrails that deny the same actions under the same condition are one: a policy repeating one 10,000 times pays once. */
function distinctGuardrails(guardrails: Guardrail[]): DistinctGuardrail[] {
  const byKey = new Map<string, DistinctGuardrail>();
  for (const g of guardrails) {
    const c = g.condition;
    const key = c ? `${g.mask}|${c.base}|${c.keyLower}|${JSON.stringify(c.values)}` : `${g.mask}|always`;
    const known = byKey.get(key);
    if (known) known.indexes.push(g.statement.index);
    else byKey.set(key, { guardrail: g, indexes: [g.statement.index] });
  }
  return [...byKey.values()];
}

/** Its Effect says Deny, read as statementFields reads it (any case; of repeated names, the last). */
function isDeny(raw: unknown): boolean {
  if (!isPlainObject(raw)) return false;
  let effect: unknown;
  for (const key in raw) if (Object.hasOwn(raw, key) && (key === 'Effect' || key.toLowerCase() === 'effect')) effect = raw[key];
  return typeof effect === 'string' && effect.trim().toLowerCase() === 'deny';
}

export function analyzeDocument(doc: PolicyDocument, ctx: AnalysisContext, budget: WorkBudget = new WorkBudget()): PolicyAnalysis {
  budget.spend(doc.statements.length);
  // Most policies have no Deny: one pass, each statement dropped once judged, as if Denies did not exist.
  if (!doc.statements.some(isDeny)) return analyzeAllows(doc, ctx, budget) ?? analyzeWithDenies(doc, ctx, budget);
  return analyzeWithDenies(doc, ctx, budget);
}

function analyzeWithDenies(doc: PolicyDocument, ctx: AnalysisContext, budget: WorkBudget): PolicyAnalysis {
  const matcher = new ActionMatcher(budget);
  const allows: Statement[] = [];
  const guardrails: Guardrail[] = [];
  const principalDenies: PrincipalDeny[] = [];
  let denyCount = 0;
  doc.statements.forEach((raw, index) => {
    const statement = normalizeStatement(raw, index, budget);
    if (statement.effect === 'Allow') {
      allows.push(statement);
      return;
    }
    denyCount++;
    const guardrail = guardrailOf(statement, (deny) => matcher.actionMask(deny));
    if (guardrail) guardrails.push(guardrail);
    const principalDeny = principalDenyOf(statement, (deny) => matcher.actionMask(deny));
    if (principalDeny) principalDenies.push(principalDeny);
  });
  const perimeter = distinctGuardrails(guardrails);

  const statements: StatementVerdict[] = [];
  const credited = new Set<DistinctGuardrail>();
  const creditedPrincipalDenies = new Set<PrincipalDeny>();
  // What the perimeter does to an Allow depends only on which actions it grants: once per action set.
  const byActions = new Map<number, { covering: DistinctGuardrail[]; closed: DistinctGuardrail | undefined; pins: Pins }>();
  for (const written of allows) {
    const grants = matcher.grants(written);
    if (!grants.any) continue;
    const mask = matcher.actionMask(written);
    const narrowed = withoutDeniedPrincipals(written, mask, principalDenies);
    for (const d of narrowed.credited) creditedPrincipalDenies.add(d);
    const statement = narrowed.statement;
    if (statement.principals.length === 0) {
      statements.push(deniedToNamed(classifyStatement(written, grants, pinsOf(written.conditions, ctx, budget), ctx), narrowed.note as string));
      continue;
    }
    const classify = (pins: Pins) => withNote(classifyStatement(statement, grants, pins, ctx), narrowed.note);
    const own = pinsOf(statement.conditions, ctx, budget);
    if (perimeter.length === 0) {
      statements.push(classify(own));
      continue;
    }
    let around = byActions.get(mask);
    if (!around) {
      budget.spend(perimeter.length);
      const covering = perimeter.filter((d) => (mask & ~d.guardrail.mask) === 0);
      const closed = covering.find((d) => d.guardrail.condition === null);
      around = {
        covering,
        closed,
        pins: closed
          ? pinsOf([], ctx, budget)
          : pinsOf(
              covering.map((d) => d.guardrail.condition as ConditionEntry),
              ctx,
              budget,
            ),
      };
      byActions.set(mask, around);
    }
    if (around.closed) {
      credited.add(around.closed);
      statements.push(deniedToEveryone(classify(own), around.closed.guardrail));
      continue;
    }
    for (const d of around.covering) credited.add(d);
    statements.push(classify(mergePins(own, around.pins, budget)));
  }
  const creditedDenies = [...new Set([...[...credited].flatMap((d) => d.indexes), ...[...creditedPrincipalDenies].map((d) => d.statement.index)])].sort((a, b) => a - b);
  return verdictOf(doc, statements, { allowCount: allows.length, denyCount, creditedDenies }, budget);
}

/** A policy without Deny statements; null if one turns up after all (then it is analysed with them). */
function analyzeAllows(doc: PolicyDocument, ctx: AnalysisContext, budget: WorkBudget): PolicyAnalysis | null {
  const matcher = new ActionMatcher(budget);
  const statements: StatementVerdict[] = [];
  for (let index = 0; index < doc.statements.length; index++) {
    const statement = normalizeStatement(doc.statements[index], index, budget);
    if (statement.effect !== 'Allow') return null;
    const grants = matcher.grants(statement);
    if (grants.any) statements.push(classifyStatement(statement, grants, pinsOf(statement.conditions, ctx, budget), ctx));
  }
  return verdictOf(doc, statements, { allowCount: doc.statements.length, denyCount: 0, creditedDenies: [] }, budget);
}

/** The verdict: the most open statement decides; the counts as the caller gives them. */
function verdictOf(doc: PolicyDocument, statements: StatementVerdict[], counts: Pick<PolicyAnalysis, 'allowCount' | 'denyCount' | 'creditedDenies'>, budget: WorkBudget): PolicyAnalysis {
  let access: Access = 'private';
  for (const s of statements) if (ACCESS_RANK[s.access] > ACCESS_RANK[access]) access = s.access;
  return { access, statementCount: doc.statements.length, ...counts, statements, workUnits: budget.used };
}

/** The verdict, with what principal Denies took out of the statement said in its conditions text. */
function withNote(verdict: StatementVerdict, note: string | null): StatementVerdict {
  return note ? { ...verdict, conditions: `${verdict.conditions}; ${note}` } : verdict;
}

/** An Allow every principal of which a Deny names: it opens the secret to nobody. */
function deniedToNamed(verdict: StatementVerdict, note: string): StatementVerdict {
  return { ...verdict, access: 'private', openTo: `nobody: ${note}`, accounts: [], organizations: [], conditions: note };
}

/** An Allow that an unconditional Deny to everyone covers: it opens the secret to nobody. */
function deniedToEveryone(verdict: StatementVerdict, deny: Guardrail): StatementVerdict {
  const by = statementLabel(deny.statement.index, deny.statement.sid);
  return {
    ...verdict,
    access: 'private',
    openTo: `nobody: ${by} denies these actions to everyone`,
    accounts: [],
    organizations: [],
    conditions: `${by} denies every action it grants, with no condition`,
  };
}
