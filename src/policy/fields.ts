import type { WorkBudget } from './budget';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value of the own field `name` (lower case), matched case-insensitively as IAM matches policy
 * element names. Own keys only: "__proto__" or "constructor" in a policy are just unknown names.
 */
export function fieldOf(object: Record<string, unknown>, name: string, budget: WorkBudget): unknown {
  const keys = Object.keys(object);
  budget.spend(keys.length + 1);
  for (const key of keys) if (key.length === name.length && key.toLowerCase() === name) return object[key];
  return undefined;
}

/** The elements of a statement, read in one pass over its keys. */
export class StatementFields {
  sid: unknown = undefined;
  effect: unknown = undefined;
  principal: unknown = undefined;
  notprincipal: unknown = undefined;
  action: unknown = undefined;
  notaction: unknown = undefined;
  resource: unknown = undefined;
  notresource: unknown = undefined;
  condition: unknown = undefined;
}

/**
 * A statement's elements, matched case-insensitively as IAM matches them, own keys only: a
 * "__proto__" or "constructor" key is just an unknown element. One fixed-shape object per
 * statement, no lower-casing for the usual spelling: this runs 10,000 times for a large policy.
 */
export function statementFields(object: Record<string, unknown>, budget: WorkBudget): StatementFields {
  const out = new StatementFields();
  let keys = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    keys++;
    switch (CANONICAL.get(key) ?? key.toLowerCase()) {
      case 'sid':
        out.sid = object[key];
        break;
      case 'effect':
        out.effect = object[key];
        break;
      case 'principal':
        out.principal = object[key];
        break;
      case 'notprincipal':
        out.notprincipal = object[key];
        break;
      case 'action':
        out.action = object[key];
        break;
      case 'notaction':
        out.notaction = object[key];
        break;
      case 'resource':
        out.resource = object[key];
        break;
      case 'notresource':
        out.notresource = object[key];
        break;
      case 'condition':
        out.condition = object[key];
        break;
      default:
    }
  }
  budget.spend(keys + 1);
  return out;
}

/** Element names as AWS writes them: the usual spelling skips a toLowerCase per key. */
const CANONICAL = new Map(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Version', 'Id'].map((n) => [n, n.toLowerCase()]));
