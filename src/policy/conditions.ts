import type { WorkBudget } from './budget';
import { PolicyError } from './errors';
import { isPlainObject } from './fields';
import { quoted, typeName } from './text';
import type { ConditionEntry } from './types';

const QUALIFIERS = ['forallvalues:', 'foranyvalue:'] as const;

/** "ForAnyValue:StringLikeIfExists" -> qualifier foranyvalue, base stringlike, ifExists. Case-insensitive. */
export function parseOperator(operator: string): Pick<ConditionEntry, 'base' | 'qualifier' | 'ifExists'> {
  let rest = operator.trim().toLowerCase();
  let qualifier: ConditionEntry['qualifier'] = null;
  for (const q of QUALIFIERS) {
    if (rest.startsWith(q)) {
      qualifier = q.slice(0, -1) as ConditionEntry['qualifier'];
      rest = rest.slice(q.length);
    }
  }
  const ifExists = rest.endsWith('ifexists') && rest !== 'ifexists';
  return { base: ifExists ? rest.slice(0, -'ifexists'.length) : rest, qualifier, ifExists };
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return null;
}

/** Condition: { operator: { key: value or [values] } }, values strings, numbers or booleans. */
export function parseConditions(value: unknown, label: () => string, budget: WorkBudget): ConditionEntry[] {
  if (value === undefined) return [];
  if (!isPlainObject(value)) throw new PolicyError('invalid-condition', `${label()}: Condition: expected an object, got ${typeName(value)}`);
  const entries: ConditionEntry[] = [];
  for (const operator of Object.keys(value)) {
    const block = value[operator];
    if (!isPlainObject(block)) {
      throw new PolicyError('invalid-condition', `${label()}: Condition ${quoted(operator)}: expected an object of condition keys, got ${typeName(block)}`);
    }
    const parsed = parseOperator(operator);
    for (const key of Object.keys(block)) {
      const raw = block[key];
      const list = Array.isArray(raw) ? raw : [raw];
      budget.spend(list.length + 1);
      const values: string[] = [];
      for (const item of list) {
        const text = scalar(item);
        if (text === null) {
          throw new PolicyError('invalid-condition', `${label()}: Condition ${quoted(operator)} ${quoted(key)}: expected strings, numbers or booleans, got ${typeName(item)}`);
        }
        values.push(text);
      }
      entries.push({ operator, ...parsed, key, keyLower: key.trim().toLowerCase(), values });
    }
  }
  return entries;
}
