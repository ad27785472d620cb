import { reject } from './errors';

/** A value JSON text can denote, as JSON.parse returns it. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/**
 * Jackson's default StreamReadConstraints nesting limit, which event-ruler inherits: EventBridge
 * cannot even parse a pattern or an event nested deeper than this.
 */
export const MAX_NESTING_DEPTH = 1000;

export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Rejects what EventBridge could never receive, because a pattern reaches it as JSON text: cycles,
 * functions, undefined, BigInt, NaN, class instances (Date, Map...) and over-deep nesting. Done
 * before compiling so the compiler can trust the Json types, and so a hostile object cannot make
 * it recurse without bound.
 */
export function assertJsonPattern(pattern: JsonObject): void {
  const ancestors = new Set<object>();
  const visit = (value: unknown, where: string, depth: number): void => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      // JSON.parse yields ±Infinity for literals like 1e400, so only NaN is beyond JSON.
      if (Number.isNaN(value)) reject(`Pattern is not JSON: ${where} is NaN`);
      return;
    }
    if (typeof value !== 'object') reject(`Pattern is not JSON: ${where} is ${describe(value)}`);
    if (!Array.isArray(value) && !isPlainObject(value)) reject(`Pattern is not JSON: ${where} is ${describe(value)}`);
    if (depth > MAX_NESTING_DEPTH) {
      reject(`Document nesting depth (${depth}) exceeds the maximum allowed (${MAX_NESTING_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    }
    if (ancestors.has(value)) reject(`Pattern is not JSON: ${where} refers back to one of its own ancestors`);
    ancestors.add(value);
    if (Array.isArray(value)) {
      // A for loop, not forEach, so holes in sparse arrays are seen (as undefined) and rejected.
      for (let i = 0; i < value.length; i++) visit(value[i], `${where}[${i}]`, depth + 1);
    } else {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], `${where}.${key}`, depth + 1);
    }
    ancestors.delete(value);
  };
  visit(pattern, '(pattern)', 1);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'symbol') return 'a symbol';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'not a plain object';
}

/**
 * What Jackson's getText() shows for a token, which event-ruler puts in some reasons. Number
 * tokens keep their source text in Java; JSON.parse has already lost it, so the shortest
 * round-trip form stands in for it.
 */
export function tokenText(value: Json | undefined): string {
  if (value === undefined) return ']'; // the array ended where a member was expected
  if (Array.isArray(value)) return '[';
  if (value !== null && typeof value === 'object') return '{';
  return String(value);
}
