import type { ValuePattern, WildcardGlob } from './ast';
import { reject } from './errors';
import { cidrRange } from './ip';
import { isPlainObject, tokenText, type Json, type JsonObject } from './json';
import { parseWildcard } from './wildcard';

// A port of event-ruler's JsonRuleCompiler.processMatchExpression and its helpers. The reasons,
// including the odd ones ("Too many elements in numeric expression" for an anything-but with an
// extra key, "prefix match pattern must be a string" for a cidr), are event-ruler's own, and the
// checks run in the order its streaming parser meets the tokens.

const ONLY_ONE_KEY = 'Only one key allowed in match expression';
const TOO_MANY_ELEMENTS = 'Too many elements in numeric expression';

/** ComparableNumber.generate: JSON numbers that overflow a double cannot be compared. */
function comparable(value: number): number {
  if (!Number.isFinite(value)) reject(`Cannot compare number : ${tokenText(value)}`);
  return value;
}

export function compileOperator(expression: JsonObject): ValuePattern {
  const keys = Object.keys(expression);
  if (keys.length === 0) reject('Match expression name not found');
  const operator = keys[0];
  const operand = expression[operator];
  const extraKey = keys.length > 1;
  switch (operator) {
    case 'exactly':
      if (typeof operand !== 'string') reject('exact match pattern must be a string');
      if (extraKey) reject(ONLY_ONE_KEY);
      return { kind: 'string', value: operand };
    case 'prefix':
    case 'suffix':
      return affix(operator, operand, extraKey);
    case 'numeric': {
      if (!Array.isArray(operand)) reject('Value of numeric must be an array.');
      const range = numeric(operand);
      if (extraKey) reject(TOO_MANY_ELEMENTS);
      return range;
    }
    case 'anything-but':
      return anythingBut(operand, extraKey);
    case 'exists':
      if (operand !== true && operand !== false) reject('exists match pattern must be either true or false.');
      if (extraKey) reject(ONLY_ONE_KEY);
      return operand ? { kind: 'exists' } : { kind: 'absent' };
    case 'cidr': {
      if (typeof operand !== 'string') reject('prefix match pattern must be a string');
      const range = cidrRange(operand);
      if (extraKey) reject(ONLY_ONE_KEY);
      return { kind: 'ip', range };
    }
    case 'equals-ignore-case':
      if (typeof operand !== 'string') reject('equals-ignore-case match pattern must be a string');
      if (extraKey) reject(ONLY_ONE_KEY);
      return { kind: 'equals-ignore-case', value: operand };
    case 'wildcard': {
      if (typeof operand !== 'string') reject('wildcard match pattern must be a string');
      const glob = parseWildcard(operand);
      if (extraKey) reject(ONLY_ONE_KEY);
      return { kind: 'wildcard', glob };
    }
    default:
      return reject(`Unrecognized match type ${operator}`);
  }
}

function affix(operator: 'prefix' | 'suffix', operand: Json, extraKey: boolean): ValuePattern {
  if (isPlainObject(operand)) {
    const Name = operator === 'prefix' ? 'Prefix' : 'Suffix';
    const keys = Object.keys(operand);
    if (keys.length === 0) reject(`${Name} expression name not found`);
    if (keys[0] !== 'equals-ignore-case') reject(`Unsupported ${operator} pattern: ${keys[0]}`);
    const value = operand[keys[0]];
    if (typeof value !== 'string') reject('equals-ignore-case match pattern must be a string');
    if (keys.length > 1 || extraKey) reject(ONLY_ONE_KEY);
    return { kind: operator, value, ignoreCase: true };
  }
  if (typeof operand !== 'string') reject(`${operator} match pattern must be a string`);
  if (extraKey) reject(ONLY_ONE_KEY);
  return { kind: operator, value: operand, ignoreCase: false };
}

/** processNumericMatchExpression, walking the array as the token stream it is in Java. */
function numeric(members: Json[]): ValuePattern {
  let at = 0;
  const next = (): Json | undefined => members[at++];
  const operator = next();
  if (typeof operator !== 'string') reject(`Invalid member in numeric match: ${tokenText(operator)}`);
  const first = next();
  switch (operator) {
    case '=': {
      if (typeof first !== 'number') reject('Value of equals must be numeric');
      if (next() !== undefined) reject(TOO_MANY_ELEMENTS);
      return { kind: 'numeric-equals', value: comparable(first) };
    }
    case '>':
    case '>=': {
      if (typeof first !== 'number') reject(`Value of ${operator} must be numeric`);
      const token = next();
      if (token === undefined) {
        return { kind: 'range', low: comparable(first), lowOpen: operator === '>', high: Number.MAX_VALUE, highOpen: false };
      }
      if (typeof token !== 'string') reject(`Bad value in numeric range: ${tokenText(token)}`);
      if (token !== '<' && token !== '<=') reject(`Bad numeric range operator: ${token}`);
      const top = next();
      if (typeof top !== 'number') reject(`Value of ${token} must be numeric`);
      if (next() !== undefined) reject('Too many terms in numeric range expression');
      const low = comparable(first);
      const high = comparable(top);
      // Java compares the encoded bounds, so an empty range such as (5, 5] is refused too.
      if (!(low < high)) reject('Bottom must be less than top');
      return { kind: 'range', low, lowOpen: operator === '>', high, highOpen: token === '<' };
    }
    case '<':
    case '<=': {
      if (typeof first !== 'number') reject(`Value of ${operator} must be numeric`);
      if (next() !== undefined) reject(TOO_MANY_ELEMENTS);
      return { kind: 'range', low: -Number.MAX_VALUE, lowOpen: false, high: comparable(first), highOpen: operator === '<' };
    }
    default:
      return reject(`Unrecognized numeric range operator: ${operator}`);
  }
}

type SetKind = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';

function anythingBut(operand: Json, extraKey: boolean): ValuePattern {
  let kind: SetKind | undefined;
  let value = operand;
  let extraInnerKey = false;
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 0) reject('Anything-But expression name not found');
    const op = keys[0];
    if (op !== 'equals-ignore-case' && op !== 'prefix' && op !== 'suffix' && op !== 'wildcard') {
      reject(`Unsupported anything-but pattern: ${op}`);
    }
    kind = op;
    value = operand[op];
    extraInnerKey = keys.length > 1;
  }
  if (!Array.isArray(value) && typeof value !== 'string' && typeof value !== 'number') {
    reject('Value of anything-but must be an array or single string/number value.');
  }
  const pattern = kind === undefined ? plainAnythingBut(value) : anythingButSet(kind, Array.isArray(value) ? value : [value]);
  if (extraInnerKey || extraKey) reject(TOO_MANY_ELEMENTS);
  return pattern;
}

function plainAnythingBut(value: Json): ValuePattern {
  const members = Array.isArray(value) ? value : [value];
  const strings: string[] = [];
  const numbers: number[] = [];
  for (const member of members) {
    if (typeof member === 'string') strings.push(member);
    else if (typeof member === 'number') numbers.push(comparable(member));
    else reject('Inside anything but list, start|null|boolean is not supported.'); // only lists get here
  }
  if (strings.length > 0 === numbers.length > 0) {
    reject('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return strings.length > 0 ? { kind: 'anything-but-strings', values: strings } : { kind: 'anything-but-numbers', values: numbers };
}

function anythingButSet(kind: SetKind, members: Json[]): ValuePattern {
  const values: string[] = [];
  for (const member of members) {
    if (typeof member !== 'string') {
      if (kind === 'equals-ignore-case') reject('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      if (kind === 'wildcard') reject('wildcard match pattern must be a string');
      reject('prefix/suffix match pattern must be a string');
    }
    if ((kind === 'prefix' || kind === 'suffix') && member === '') reject('Null prefix/suffix not allowed');
    values.push(member);
  }
  switch (kind) {
    case 'equals-ignore-case':
      return { kind: 'anything-but-ignore-case', values };
    case 'prefix':
      return { kind: 'anything-but-prefix', values };
    case 'suffix':
      return { kind: 'anything-but-suffix', values };
    case 'wildcard': {
      // Java checks a set in hash order; document order is the only stable stand-in.
      const globs: WildcardGlob[] = values.map(parseWildcard);
      return { kind: 'anything-but-wildcard', globs };
    }
  }
}
