import type { ValuePattern } from './ast';
import { equalsIgnoreCase, prefixIgnoreCase, suffixIgnoreCase } from './ignoreCase';
import { ipHex, ipInRange } from './ip';
import { matchesGlob } from './wildcard';

/** A leaf value of a flattened event. */
export type Scalar = string | number | boolean | null;

export type ValueTest = (value: Scalar) => boolean;

/** How one flattened field name is matched: any value test, and/or the field being absent. */
export interface FieldMatcher {
  /** Null when the field's only pattern is `{"exists": false}`. */
  readonly test: ValueTest | null;
  readonly allowAbsent: boolean;
}

// event-ruler matches values as bytes of their JSON text, strings keeping their quotes. So a
// prefix, suffix or wildcard can only ever match a string, a number only matches numerically,
// and true/false/null only match themselves. The prefix/suffix helpers reproduce the one place
// the quotes show: a pattern that itself holds '"' can match the quote around the value.

function prefixTest(prefix: string): (value: string) => boolean {
  return prefix.includes('"') ? (value) => `${value}"`.startsWith(prefix) : (value) => value.startsWith(prefix);
}

function suffixTest(suffix: string): (value: string) => boolean {
  return suffix.includes('"') ? (value) => `"${value}`.endsWith(suffix) : (value) => value.endsWith(suffix);
}

function stringTest(test: (value: string) => boolean): ValueTest {
  return (value) => typeof value === 'string' && test(value);
}

/** Anything-but matches every present value, of any type, that the excluded forms do not. */
function unlessString(excluded: (value: string) => boolean): ValueTest {
  return (value) => typeof value !== 'string' || !excluded(value);
}

function compileOne(pattern: ValuePattern): ValueTest | null {
  switch (pattern.kind) {
    case 'string':
    case 'number':
    case 'literal':
    case 'exists':
    case 'absent':
      return null; // folded into the lookups in compileField
    case 'ip': {
      const { range } = pattern;
      return stringTest((value) => {
        const hex = ipHex(value);
        return hex !== null && ipInRange(hex, range);
      });
    }
    case 'prefix':
      return stringTest(pattern.ignoreCase ? prefixIgnoreCase(pattern.value) : prefixTest(pattern.value));
    case 'suffix':
      return stringTest(pattern.ignoreCase ? suffixIgnoreCase(pattern.value) : suffixTest(pattern.value));
    case 'equals-ignore-case':
      return stringTest(equalsIgnoreCase(pattern.value));
    case 'wildcard': {
      const { glob } = pattern;
      return stringTest((value) => matchesGlob(glob, value));
    }
    case 'range': {
      const { low, lowOpen, high, highOpen } = pattern;
      // Non-finite numbers (JSON literals beyond a double) are not comparable in event-ruler.
      return (value) => typeof value === 'number' && Number.isFinite(value) && (lowOpen ? value > low : value >= low) && (highOpen ? value < high : value <= high);
    }
    case 'numeric-equals': {
      const expected = pattern.value;
      return (value) => value === expected;
    }
    case 'anything-but-strings': {
      const excluded = new Set(pattern.values);
      return unlessString((value) => excluded.has(value));
    }
    case 'anything-but-numbers': {
      const excluded = new Set(pattern.values);
      return (value) => typeof value !== 'number' || !excluded.has(value);
    }
    case 'anything-but-prefix': {
      const tests = pattern.values.map(prefixTest);
      return unlessString((value) => tests.some((test) => test(value)));
    }
    case 'anything-but-suffix': {
      const tests = pattern.values.map(suffixTest);
      return unlessString((value) => tests.some((test) => test(value)));
    }
    case 'anything-but-ignore-case': {
      const tests = pattern.values.map(equalsIgnoreCase);
      return unlessString((value) => tests.some((test) => test(value)));
    }
    case 'anything-but-wildcard': {
      const { globs } = pattern;
      return unlessString((value) => globs.some((glob) => matchesGlob(glob, value)));
    }
  }
}

/**
 * One predicate for all of a field's patterns: exact values become set lookups (a field often
 * lists dozens of event names) and the rest are tried in turn.
 */
export function compileField(patterns: readonly ValuePattern[]): FieldMatcher {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const literals = new Set<boolean | null>();
  const others: ValueTest[] = [];
  let exists = false;
  let allowAbsent = false;
  let hasValueTest = false;
  for (const pattern of patterns) {
    if (pattern.kind === 'absent') {
      allowAbsent = true;
      continue;
    }
    hasValueTest = true;
    if (pattern.kind === 'exists') exists = true;
    else if (pattern.kind === 'string') strings.add(pattern.value);
    else if (pattern.kind === 'number') numbers.add(pattern.value);
    else if (pattern.kind === 'literal') literals.add(pattern.value);
    else {
      const test = compileOne(pattern);
      if (test !== null) others.push(test);
    }
  }
  if (!hasValueTest) return { test: null, allowAbsent };
  if (exists) return { test: () => true, allowAbsent };
  const test: ValueTest = (value) => {
    if (typeof value === 'string') {
      if (strings.has(value)) return true;
    } else if (typeof value === 'number') {
      // Set lookup is SameValueZero, so 5 finds 5.0 and -0 finds 0, as in event-ruler.
      if (numbers.has(value)) return true;
    } else if (literals.has(value)) {
      return true;
    }
    for (const other of others) if (other(value)) return true;
    return false;
  };
  return { test, allowAbsent };
}
