import { ActionMatcher } from './actions';
import { WorkBudget } from './budget';
import { classifyStatement } from './classify';
import { readPolicyDocument, type PolicyDocument } from './document';
import { PolicyError } from './errors';
import { pinsOf } from './pins';
import { normalizeStatement } from './statement';
import { ACCESS_RANK, type Access, type AnalysisContext, type PolicyAnalysis, type StatementVerdict } from './types';

/**
 * Who a secret's resource policy opens it to. Deny statements are validated but never make the
 * verdict more open (nor, conservatively, less). Throws PolicyError, and nothing else, for any
 * input: hostile shapes end in a typed error, and the work is bounded (budget.ts).
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

export function analyzeDocument(doc: PolicyDocument, ctx: AnalysisContext, budget: WorkBudget = new WorkBudget()): PolicyAnalysis {
  const matcher = new ActionMatcher(budget);
  const statements: StatementVerdict[] = [];
  let allowCount = 0;
  let denyCount = 0;
  doc.statements.forEach((raw, index) => {
    const statement = normalizeStatement(raw, index, budget);
    if (statement.effect === 'Deny') {
      denyCount++;
      return;
    }
    allowCount++;
    const grants = matcher.grants(statement);
    if (!grants.any) return;
    statements.push(classifyStatement(statement, grants, pinsOf(statement.conditions, ctx, budget), ctx));
  });
  let access: Access = 'private';
  for (const s of statements) if (ACCESS_RANK[s.access] > ACCESS_RANK[access]) access = s.access;
  return { access, statementCount: doc.statements.length, allowCount, denyCount, statements, workUnits: budget.used };
}
