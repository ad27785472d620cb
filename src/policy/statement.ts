import type { WorkBudget } from './budget';
import { parseConditions } from './conditions';
import { PolicyError, type PolicyErrorReason } from './errors';
import { isPlainObject, statementFields } from './fields';
import { parsePrincipals } from './principals';
import { quoted, shorten, typeName } from './text';
import type { Statement } from './types';

export function statementLabel(index: number, sid: string | null): string {
  return sid ? `Statement ${index} (Sid ${quoted(sid)})` : `Statement ${index}`;
}

/** Action, NotAction, Resource or NotResource: a string or a list of strings. */
export function stringList(value: unknown, element: string, label: () => string, budget: WorkBudget, reason: PolicyErrorReason = 'invalid-action'): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new PolicyError(reason, `${label()}: ${element}: expected a string or a list of strings, got ${typeName(value)}`);
  budget.spend(list.length + 1);
  for (const item of list) {
    if (typeof item !== 'string') throw new PolicyError(reason, `${label()}: ${element}: expected strings, got ${typeName(item)}`);
  }
  return list as string[];
}

/** Resource "*", or a list holding "*". Anything else (an ARN, a pattern) is not taken to cover the secret. */
function isAnyResource(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() === '*';
  return Array.isArray(value) && value.some((v) => typeof v === 'string' && v.trim() === '*');
}

/** One element of Statement, validated and normalised; element names are matched case-insensitively. */
export function normalizeStatement(raw: unknown, index: number, budget: WorkBudget): Statement {
  if (!isPlainObject(raw)) throw new PolicyError('invalid-statement', `Statement ${index}: expected an object, got ${typeName(raw)}`);
  const fields = statementFields(raw, budget);
  const sidValue = fields.sid;
  const sid = typeof sidValue === 'string' ? shorten(sidValue) : typeof sidValue === 'number' ? String(sidValue) : null;
  const label = () => statementLabel(index, sid);

  const effectValue = fields.effect;
  const effect = typeof effectValue === 'string' ? effectValue.trim().toLowerCase() : null;
  if (effect !== 'allow' && effect !== 'deny') {
    throw new PolicyError('invalid-statement', `${label()}: Effect: expected "Allow" or "Deny", got ${typeof effectValue === 'string' ? quoted(effectValue) : typeName(effectValue)}`);
  }

  const principal = fields.principal;
  const notPrincipal = fields.notprincipal;
  if ((principal === undefined) === (notPrincipal === undefined)) {
    throw new PolicyError('invalid-principal', `${label()}: a resource policy statement needs exactly one of Principal and NotPrincipal`);
  }
  const action = fields.action;
  const notAction = fields.notaction;
  if ((action === undefined) === (notAction === undefined)) {
    throw new PolicyError('invalid-action', `${label()}: a statement needs exactly one of Action and NotAction`);
  }

  return {
    index,
    sid,
    effect: effect === 'allow' ? 'Allow' : 'Deny',
    notPrincipal: notPrincipal !== undefined,
    principals: parsePrincipals(principal ?? notPrincipal, () => `${label()}: ${principal !== undefined ? 'Principal' : 'NotPrincipal'}`, budget),
    notAction: notAction !== undefined,
    actions: stringList(action ?? notAction, action !== undefined ? 'Action' : 'NotAction', label, budget),
    resourceIsAny: fields.notresource === undefined && isAnyResource(fields.resource),
    conditions: parseConditions(fields.condition, label, budget),
  };
}
