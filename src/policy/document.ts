import type { WorkBudget } from './budget';
import { PolicyError } from './errors';
import { fieldOf, isPlainObject } from './fields';
import { typeName } from './text';

/**
 * Secrets Manager caps a resource policy at 20 KB and a replayed record is capped at 1 MB (256 KB
 * through EventBridge); this bound only keeps JSON.parse of a hostile string cheap.
 */
export const MAX_POLICY_CHARS = 2 * 1024 * 1024;

export interface PolicyDocument {
  /** The parsed document, as written (remediation writes back what it keeps of it). */
  document: Record<string, unknown>;
  /** The Statement element as a list (a single statement object becomes a list of one). */
  statements: unknown[];
  /** The policy was given as a single statement object rather than a list. */
  singleStatement: boolean;
}

/**
 * The policy document of PutResourcePolicy's `resourcePolicy`: CloudTrail logs it as a JSON
 * string; records built by other tools may carry the object itself. Throws PolicyError only.
 */
export function readPolicyDocument(input: unknown, budget: WorkBudget): PolicyDocument {
  let value: unknown = input;
  if (input === undefined || input === null) throw new PolicyError('missing', 'the event carries no resource policy');
  if (typeof input === 'string') {
    if (input.length > MAX_POLICY_CHARS) throw new PolicyError('too-large', `policy is ${input.length} characters; the limit is ${MAX_POLICY_CHARS}`);
    if (input.trim() === '') throw new PolicyError('missing', 'the resource policy is empty');
    budget.spend(Math.ceil(input.length / 64));
    try {
      value = JSON.parse(input);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new PolicyError('invalid-json', `not valid JSON: ${message.slice(0, 200)}`);
    }
  }
  if (!isPlainObject(value)) throw new PolicyError('not-an-object', `expected a JSON object, got ${typeName(value)}`);
  const statement = fieldOf(value, 'statement', budget);
  if (statement === undefined) throw new PolicyError('invalid-statement', 'the policy has no Statement element');
  if (isPlainObject(statement)) return { document: value, statements: [statement], singleStatement: true };
  if (!Array.isArray(statement)) throw new PolicyError('invalid-statement', `Statement: expected an object or a list, got ${typeName(statement)}`);
  budget.spend(statement.length);
  return { document: value, statements: statement, singleStatement: false };
}
