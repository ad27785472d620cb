import type { SubRule, ValuePattern } from './ast';
import { reject } from './errors';
import { ipLiteralRange } from './ip';
import { assertJsonPattern, isPlainObject, type Json, type JsonObject } from './json';
import { compileOperator } from './operators';

// A port of the structural half of event-ruler's JsonRuleCompiler: objects nest, arrays are value
// lists, and each `$or` multiplies the sub-rules built so far by its branches. Field names are
// joined with '.', exactly as event-ruler does, which is why {"a.b": [1]} and {"a": {"b": [1]}}
// are the same pattern, and why a later path overrides an earlier identical one.

/** Names event-ruler reserves inside `$or` branches, at any depth (Constants.java). */
const RESERVED_IN_OR = new Set([
  'exactly',
  'equals-ignore-case',
  'prefix',
  'suffix',
  'anything-but',
  'exists',
  'wildcard',
  'numeric',
  'cidr',
  '=',
  '<',
  '<=',
  '>',
  '>=',
  'regex',
  'not-wildcard',
  'not-equals-ignore-case',
  'date-after',
  'date-on-or-after',
  'date-before',
  'date-on-or-before',
  'in-date-range',
  'ip-address-in-range',
  'ip-address-not-in-range',
]);

/**
 * Not an EventBridge rule: `$or` branches multiply, so twenty sibling two-way `$or`s would be a
 * million sub-rules. Refusing such patterns keeps a hostile one from exhausting memory.
 */
export const MAX_SUB_RULES = 10_000;

/** GenericMachine.MAXIMUM_RULE_SIZE: event-ruler refuses to add a sub-rule with more fields. */
const MAX_FIELDS_PER_SUB_RULE = 256;

/** Validates a pattern as EventBridge does and returns its sub-rules (never empty). */
export function parsePattern(pattern: unknown): SubRule[] {
  if (!isPlainObject(pattern)) reject('Filter is not an object');
  assertJsonPattern(pattern);
  const rules: SubRule[] = [];
  parseObject(pattern, rules, [], false);
  if (rules.some((rule) => rule.size > MAX_FIELDS_PER_SUB_RULE)) {
    reject(`Size of rule exceeds max value of ${MAX_FIELDS_PER_SUB_RULE}`);
  }
  return rules;
}

function parseObject(object: JsonObject, rules: SubRule[], path: string[], insideOr: boolean): void {
  const keys = Object.keys(object);
  for (const key of keys) {
    const value = object[key];
    if (key === '$or') {
      parseOr(value, rules, path);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) reject(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (isPlainObject(value)) {
      path.push(key);
      parseObject(value, rules, path, insideOr);
      path.pop();
    } else if (Array.isArray(value)) {
      writeRules(rules, [...path, key].join('.'), value);
    } else {
      reject(`"${key}" must be an object or an array`);
    }
  }
  if (keys.length === 0) reject('Empty objects are not allowed');
}

function parseOr(value: Json, rules: SubRule[], path: string[]): void {
  if (!Array.isArray(value)) reject('It must be an Array followed with $or.');
  // Fields seen before the `$or` are copied into every branch; fields after it reach every
  // branch through the shared list, so the result is the cartesian product either way.
  const before = rules.map((rule) => new Map(rule));
  rules.length = 0;
  for (const branch of value) {
    if (!isPlainObject(branch)) reject('Only JSON object is allowed in array of $or relationship.');
    const branchRules = before.length === 0 ? [new Map<string, ValuePattern[]>()] : before.map((rule) => new Map(rule));
    parseObject(branch, branchRules, path, true);
    rules.push(...branchRules);
    if (rules.length > MAX_SUB_RULES) reject(`Pattern expands into more than ${MAX_SUB_RULES} $or combinations`);
  }
  if (value.length < 2) reject('There must have at least 2 Objects in $or relationship.');
}

function writeRules(rules: SubRule[], name: string, members: Json[]): void {
  const values: ValuePattern[] = [];
  for (const member of members) {
    if (isPlainObject(member)) {
      values.push(compileOperator(member));
    } else if (typeof member === 'string') {
      const range = ipLiteralRange(member);
      values.push(range === null ? { kind: 'string', value: member } : { kind: 'ip', range });
    } else if (typeof member === 'number') {
      values.push({ kind: 'number', value: member });
    } else if (member === null || typeof member === 'boolean') {
      values.push({ kind: 'literal', value: member });
    } else {
      reject('Match value must be String, number, true, false, or null');
    }
  }
  if (values.length === 0) reject('Empty arrays are not allowed');
  if (rules.length === 0) rules.push(new Map());
  for (const rule of rules) rule.set(name, values);
}
