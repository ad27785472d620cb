import { compilePattern, InvalidPatternError, matchesPattern, validatePattern } from '../../src/patterns';

// Edge cases the conformance vectors do not cover. Expected reasons and behaviours come from
// reading aws/event-ruler's source (JsonRuleCompiler, ByteMachine, CIDR, WildcardParser,
// EqualsIgnoreCaseParser, StructuredFinder), the matcher EventBridge runs.

function reasonFor(pattern: unknown): string {
  try {
    validatePattern(pattern);
  } catch (error) {
    if (error instanceof InvalidPatternError) return error.reason;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be rejected`);
}

const field = (...values: unknown[]): { a: unknown[] } => ({ a: values });

describe('pattern validation reasons', () => {
  test.each<[string, unknown, string]>([
    ['array pattern', [], 'Filter is not an object'],
    ['string pattern', 'source', 'Filter is not an object'],
    ['null pattern', null, 'Filter is not an object'],
    ['undefined pattern', undefined, 'Filter is not an object'],
    ['empty pattern', {}, 'Empty objects are not allowed'],
    ['empty nested object', { detail: {} }, 'Empty objects are not allowed'],
    ['scalar leaf', { a: 5 }, '"a" must be an object or an array'],
    ['null leaf', { a: null }, '"a" must be an object or an array'],
    ['empty value list', { a: [] }, 'Empty arrays are not allowed'],
    ['nested list', field([1]), 'Match value must be String, number, true, false, or null'],
    ['empty match expression', field({}), 'Match expression name not found'],
    ['two operators', field({ prefix: 'a', suffix: 'b' }), 'Only one key allowed in match expression'],
    ['unknown operator', field({ regex: 'a.*' }), 'Unrecognized match type regex'],
    ['exactly non-string', field({ exactly: 5 }), 'exact match pattern must be a string'],
    ['prefix non-string', field({ prefix: 5 }), 'prefix match pattern must be a string'],
    ['prefix empty object', field({ prefix: {} }), 'Prefix expression name not found'],
    ['prefix unknown modifier', field({ prefix: { wildcard: 'a' } }), 'Unsupported prefix pattern: wildcard'],
    ['prefix ignore-case non-string', field({ prefix: { 'equals-ignore-case': 1 } }), 'equals-ignore-case match pattern must be a string'],
    ['suffix non-string', field({ suffix: ['a'] }), 'suffix match pattern must be a string'],
    ['suffix unknown modifier', field({ suffix: { prefix: 'a' } }), 'Unsupported suffix pattern: prefix'],
    ['equals-ignore-case non-string', field({ 'equals-ignore-case': ['a'] }), 'equals-ignore-case match pattern must be a string'],
    ['wildcard non-string', field({ wildcard: 1 }), 'wildcard match pattern must be a string'],
    ['wildcard **', field({ wildcard: 'a**' }), 'Consecutive wildcard characters at pos 2'],
    ['wildcard ** after a 2-byte character', field({ wildcard: 'é**' }), 'Consecutive wildcard characters at pos 3'],
    ['wildcard bad escape', field({ wildcard: 'a\\b' }), 'Invalid escape character at pos 2'],
    ['wildcard trailing backslash', field({ wildcard: 'ab\\' }), 'Invalid escape character at pos 3'],
    ['exists non-boolean', field({ exists: 'false' }), 'exists match pattern must be either true or false.'],
    ['exists extra key', field({ exists: true, prefix: 'a' }), 'Only one key allowed in match expression'],
    ['numeric not array', field({ numeric: 5 }), 'Value of numeric must be an array.'],
    ['numeric empty', field({ numeric: [] }), 'Invalid member in numeric match: ]'],
    ['numeric without operator', field({ numeric: [5] }), 'Invalid member in numeric match: 5'],
    ['numeric unknown operator', field({ numeric: ['!=', 5] }), 'Unrecognized numeric range operator: !='],
    ['numeric string operand', field({ numeric: ['>', '5'] }), 'Value of > must be numeric'],
    ['numeric = string operand', field({ numeric: ['=', '5'] }), 'Value of equals must be numeric'],
    ['numeric = two operands', field({ numeric: ['=', 5, 6] }), 'Too many elements in numeric expression'],
    ['numeric upper bound first', field({ numeric: ['<', 5, '>', 0] }), 'Too many elements in numeric expression'],
    ['numeric missing second operator', field({ numeric: ['>', 0, 10] }), 'Bad value in numeric range: 10'],
    ['numeric two lower bounds', field({ numeric: ['>', 0, '>', 10] }), 'Bad numeric range operator: >'],
    ['numeric missing upper operand', field({ numeric: ['>', 0, '<='] }), 'Value of <= must be numeric'],
    ['numeric too many terms', field({ numeric: ['>', 0, '<', 10, 20] }), 'Too many terms in numeric range expression'],
    ['numeric range out of order', field({ numeric: ['>', 10, '<', 5] }), 'Bottom must be less than top'],
    ['numeric empty range', field({ numeric: ['>=', 5, '<=', 5] }), 'Bottom must be less than top'],
    ['numeric beyond a double', field({ numeric: ['>', Infinity] }), 'Cannot compare number : Infinity'],
    ['numeric extra key', field({ numeric: ['>', 0], exists: true }), 'Too many elements in numeric expression'],
    ['anything-but null', field({ 'anything-but': null }), 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but boolean', field({ 'anything-but': true }), 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but mixed list', field({ 'anything-but': [1, 'a'] }), 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['anything-but empty list', field({ 'anything-but': [] }), 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    ['anything-but null in list', field({ 'anything-but': ['a', null] }), 'Inside anything but list, start|null|boolean is not supported.'],
    ['anything-but empty object', field({ 'anything-but': {} }), 'Anything-But expression name not found'],
    ['anything-but numeric', field({ 'anything-but': { numeric: ['>', 1] } }), 'Unsupported anything-but pattern: numeric'],
    ['anything-but empty prefix', field({ 'anything-but': { prefix: '' } }), 'Null prefix/suffix not allowed'],
    ['anything-but empty suffix in list', field({ 'anything-but': { suffix: ['a', ''] } }), 'Null prefix/suffix not allowed'],
    ['anything-but prefix number', field({ 'anything-but': { prefix: 5 } }), 'prefix/suffix match pattern must be a string'],
    ['anything-but prefix object', field({ 'anything-but': { prefix: { x: 1 } } }), 'Value of anything-but must be an array or single string/number value.'],
    ['anything-but ignore-case number', field({ 'anything-but': { 'equals-ignore-case': [1] } }), 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    ['anything-but wildcard number', field({ 'anything-but': { wildcard: [1] } }), 'wildcard match pattern must be a string'],
    ['anything-but wildcard **', field({ 'anything-but': { wildcard: ['ok', '**'] } }), 'Consecutive wildcard characters at pos 1'],
    ['anything-but extra key', field({ 'anything-but': 'a', prefix: 'b' }), 'Too many elements in numeric expression'],
    ['anything-but inner extra key', field({ 'anything-but': { prefix: 'a', suffix: 'b' } }), 'Too many elements in numeric expression'],
    ['cidr non-string', field({ cidr: 10 }), 'prefix match pattern must be a string'],
    ['cidr without mask', field({ cidr: '10.0.0.0' }), "Malformed CIDR, one '/' required"],
    ['cidr two slashes', field({ cidr: '10.0.0.0//8' }), "Malformed CIDR, one '/' required"],
    ['cidr mask not integer', field({ cidr: '10.0.0.0/8.5' }), 'Malformed CIDR, mask bits must be an integer'],
    ['cidr negative mask', field({ cidr: '10.0.0.0/-1' }), 'Malformed CIDR, mask bits must not be negative'],
    ['cidr /32', field({ cidr: '10.0.0.1/32' }), 'IPv4 mask bits must be < 32'],
    ['cidr /128', field({ cidr: '2001:db8::1/128' }), 'IPv6 mask bits must be < 128'],
    ['cidr bad octet', field({ cidr: '10.0.0.256/8' }), 'Invalid IP address: 10.0.0.256'],
    ['cidr bad IPv6', field({ cidr: '1::2::3/8' }), 'Invalid IP address: 1::2::3'],
    ['cidr hostname', field({ cidr: 'example.com/8' }), 'Nonstandard IP address: example.com'],
    ['$or not an array', { $or: { a: [1] } }, 'It must be an Array followed with $or.'],
    ['$or with one branch', { $or: [{ a: [1] }] }, 'There must have at least 2 Objects in $or relationship.'],
    ['$or with a scalar branch', { $or: [{ a: [1] }, 5] }, 'Only JSON object is allowed in array of $or relationship.'],
    ['$or with an empty branch', { $or: [{}, { a: [1] }] }, 'Empty objects are not allowed'],
    ['reserved name in $or', { $or: [{ prefix: ['a'] }, { a: [1] }] }, 'prefix is Ruler reserved fieldName which cannot be used inside $or.'],
    ['reserved name deep in $or', { $or: [{ a: { numeric: [1] } }, { b: [1] }] }, 'numeric is Ruler reserved fieldName which cannot be used inside $or.'],
  ])('%s', (_name, pattern, reason) => {
    expect(reasonFor(pattern)).toBe(reason);
  });

  it('reports the first problem in document order', () => {
    expect(reasonFor({ a: [{ prefix: 5 }], b: 'x' })).toBe('prefix match pattern must be a string');
    expect(reasonFor({ b: 'x', a: [{ prefix: 5 }] })).toBe('"b" must be an object or an array');
  });

  it('accepts what EventBridge accepts', () => {
    for (const pattern of [
      { prefix: ['x'] }, // reserved names are only reserved inside $or
      { $or: [{ a: [1] }, { b: [{ exists: false }] }], c: { $or: [{ d: ['x'] }, { e: [null] }] } },
      field({ cidr: '10.0.0.0/24/' }), // Java's split drops the trailing empty part
      field({ cidr: '10.0.0.0/+8' }),
      field({ numeric: ['>', -1e308, '<=', 1e308] }),
      field({ 'anything-but': { prefix: [] } }),
      field({ wildcard: '\\*\\\\*' }),
      field({ prefix: '' }, { suffix: '' }, { wildcard: '*' }, { 'equals-ignore-case': '' }),
    ]) {
      expect(() => validatePattern(pattern)).not.toThrow();
    }
  });

  it('caps fields per sub-rule at event-ruler’s 256', () => {
    const wide = (n: number): Record<string, unknown[]> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, [i]]));
    expect(() => validatePattern(wide(256))).not.toThrow();
    expect(reasonFor(wide(257))).toBe('Size of rule exceeds max value of 256');
  });

  it('is an InvalidPatternError whose message is the reason', () => {
    const error = (() => {
      try {
        compilePattern({ a: 'x' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidPatternError);
    expect(error).toBeInstanceOf(Error);
    expect((error as InvalidPatternError).message).toBe('"a" must be an object or an array');
    expect((error as InvalidPatternError).name).toBe('InvalidPatternError');
  });
});

describe('value matching', () => {
  const m = (pattern: unknown, event: unknown): boolean => matchesPattern(pattern, event);

  it('compares numbers numerically and never with strings', () => {
    expect(m(field(5), { a: 5.0 })).toBe(true);
    expect(m(field(500), JSON.parse('{"a": 5e2}'))).toBe(true);
    expect(m(field(0), { a: -0 })).toBe(true);
    expect(m(field(5), { a: '5' })).toBe(false);
    expect(m(field('5'), { a: 5 })).toBe(false);
    expect(m(field(5), { a: 5.000001 })).toBe(false);
    // Account numbers are beyond event-ruler 1.x's ±5e9 numeric range but not 2.x's.
    expect(m(field(123456789012), { a: 123456789012 })).toBe(true);
    expect(m(field({ numeric: ['>', 1e10] }), { a: 1e11 })).toBe(true);
  });

  it('applies numeric ranges to JSON numbers only, with open and closed bounds', () => {
    const between = field({ numeric: ['>', 0, '<=', 5] });
    expect([0, 0.000001, 5, 5.000001, '3', null, true].map((a) => m(between, { a }))).toEqual([false, true, true, false, false, false, false]);
    expect(m(field({ numeric: ['=', 301.8] }), { a: 301.8 })).toBe(true);
    expect(m(field({ numeric: ['<', 0] }), { a: -Number.MAX_VALUE })).toBe(true);
    expect(m(field({ numeric: ['>=', 0] }), { a: Infinity })).toBe(false);
  });

  it('matches true, false and null only as themselves', () => {
    expect(m(field(true), { a: true })).toBe(true);
    expect(m(field(true), { a: 'true' })).toBe(false);
    expect(m(field(null), { a: null })).toBe(true);
    expect(m(field(null), { a: 'null' })).toBe(false);
    expect(m(field(null), {})).toBe(false);
    expect(m(field(false), { a: 0 })).toBe(false);
  });

  it('treats exists as presence of a leaf value, null included, empty containers excluded', () => {
    const present = field({ exists: true });
    const absent = field({ exists: false });
    const cases: Array<[unknown, boolean]> = [
      [null, true],
      ['', true],
      [0, true],
      [[], false],
      [{}, false],
      [[null], true],
      [{ b: 1 }, false],
    ];
    for (const [a, expected] of cases) {
      expect(m(present, { a })).toBe(expected);
      expect(m(absent, { a })).toBe(!expected);
    }
    expect(m(absent, {})).toBe(true);
  });

  it('restricts prefix, suffix, wildcard and equals-ignore-case to strings', () => {
    for (const op of [{ prefix: '1' }, { suffix: '1' }, { wildcard: '*' }, { 'equals-ignore-case': '1' }, { cidr: '0.0.0.0/0' }]) {
      expect(m(field(op), { a: 1 })).toBe(false);
      expect(m(field(op), { a: null })).toBe(false);
    }
    expect(m(field({ wildcard: '*' }), { a: '' })).toBe(true);
    expect(m(field({ prefix: '' }), { a: 'anything' })).toBe(true);
  });

  it('lets anything-but match any present value that is not excluded, whatever its type', () => {
    expect(m(field({ 'anything-but': 'x' }), { a: 5 })).toBe(true);
    expect(m(field({ 'anything-but': 'x' }), { a: null })).toBe(true);
    expect(m(field({ 'anything-but': 'x' }), { a: 'x' })).toBe(false);
    expect(m(field({ 'anything-but': 'x' }), {})).toBe(false);
    expect(m(field({ 'anything-but': [1, 2] }), { a: '1' })).toBe(true);
    expect(m(field({ 'anything-but': [1, 2] }), { a: 1.0 })).toBe(false);
    expect(m(field({ 'anything-but': { prefix: 'a' } }), { a: 5 })).toBe(true);
    expect(m(field({ 'anything-but': { suffix: ['.txt', '.md'] } }), { a: 'x.md' })).toBe(false);
    expect(m(field({ 'anything-but': { prefix: [] } }), { a: 'x' })).toBe(true);
  });

  it('matches an event array if any element matches, also for anything-but', () => {
    expect(m(field('b'), { a: ['a', 'b'] })).toBe(true);
    expect(m(field({ 'anything-but': ['a', 'b'] }), { a: ['a', 'b'] })).toBe(false);
    expect(m(field({ 'anything-but': ['a', 'b'] }), { a: ['a', 'c'] })).toBe(true);
    expect(m(field('b'), { a: [[['b']]] })).toBe(true);
  });

  it('matches IP literals and CIDR blocks by address, not by spelling', () => {
    expect(m(field('10.0.0.1'), { a: '10.000.0.01' })).toBe(true);
    expect(m(field('10.0.0.1'), { a: '::ffff:a00:1' })).toBe(true); // IPv4-mapped collapses to IPv4
    expect(m(field('2001:db8::1'), { a: '2001:0DB8:0:0:0:0:0:1' })).toBe(true);
    expect(m(field({ exactly: '10.0.0.1' }), { a: '10.000.0.01' })).toBe(false);
    expect(m(field({ cidr: '10.0.0.5/24' }), { a: '10.0.0.1' })).toBe(true); // host bits are masked off
    expect(m(field({ cidr: '10.0.0.0/24' }), { a: '10.0.1.0' })).toBe(false);
    expect(m(field({ cidr: '2001:db8::/32' }), { a: '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff' })).toBe(true);
    expect(m(field({ cidr: '0.0.0.0/0' }), { a: '2001:db8::1' })).toBe(false);
    expect(m(field({ cidr: '10.0.0.0/8' }), { a: '10.0.0.1 ' })).toBe(false);
  });

  it('supports wildcard escapes', () => {
    expect(m(field({ wildcard: 'a\\*b' }), { a: 'a*b' })).toBe(true);
    expect(m(field({ wildcard: 'a\\*b' }), { a: 'axb' })).toBe(false);
    expect(m(field({ wildcard: 'a\\\\b' }), { a: 'a\\b' })).toBe(true);
    expect(m(field({ wildcard: '*.png' }), { a: 'x.png.jpg' })).toBe(false);
    expect(m(field({ wildcard: 'a*b*a' }), { a: 'aba' })).toBe(true);
    expect(m(field({ wildcard: 'a*ab' }), { a: 'ab' })).toBe(false);
  });

  it('compares each pattern character with its lower and upper case, which is not case folding', () => {
    const strasse = field({ 'equals-ignore-case': 'straße' });
    expect(m(strasse, { a: 'STRASSE' })).toBe(true);
    expect(m(strasse, { a: 'Straße' })).toBe(true);
    expect(m(strasse, { a: 'strasse' })).toBe(false);
    expect(m(field({ prefix: { 'equals-ignore-case': 'ARN:AWS:' } }), { a: 'arn:aws:iam::1:root' })).toBe(true);
    expect(m(field({ suffix: { 'equals-ignore-case': '.Png' } }), { a: 'image.pNG' })).toBe(true);
    expect(m(field({ 'anything-but': { 'equals-ignore-case': 'Root' } }), { a: 'ROOT' })).toBe(false);
    expect(m(field({ 'equals-ignore-case': 'a.b' }), { a: 'aXb' })).toBe(false);
  });

  it('sees the quotes around string values, as event-ruler does', () => {
    expect(m(field({ prefix: 'ab"' }), { a: 'ab' })).toBe(true);
    expect(m(field({ prefix: 'ab"' }), { a: 'abc' })).toBe(false);
    expect(m(field({ suffix: '"ab' }), { a: 'ab' })).toBe(true);
  });
});

describe('structure', () => {
  const m = (pattern: unknown, event: unknown): boolean => matchesPattern(pattern, event);

  it('joins nested names with dots, so dotted keys and nesting are interchangeable', () => {
    expect(m({ 'a.b': [1] }, { a: { b: 1 } })).toBe(true);
    expect(m({ a: { b: [1] } }, { 'a.b': 1 })).toBe(true);
    expect(m({ a: { b: [1] } }, { a: { 'b.c': 1 } })).toBe(false);
  });

  it('lets a later identical path override an earlier one, even from inside $or', () => {
    expect(m({ 'a.b': [1], a: { b: [2] } }, { a: { b: 2 } })).toBe(true);
    expect(m({ 'a.b': [1], a: { b: [2] } }, { a: { b: 1 } })).toBe(false);
    const overridden = { a: ['1'], $or: [{ a: ['2'] }, { b: ['3'] }] };
    expect(m(overridden, { a: '2' })).toBe(true);
    expect(m(overridden, { a: '1', b: '3' })).toBe(true);
    expect(m(overridden, { a: '1' })).toBe(false);
  });

  it('combines sibling and nested $or as a product of branches', () => {
    const pattern = { $or: [{ a: [1] }, { b: [1] }], c: { $or: [{ d: [1] }, { e: { $or: [{ f: [1] }, { g: [1] }] } }] } };
    expect(m(pattern, { a: 1, c: { d: 1 } })).toBe(true);
    expect(m(pattern, { b: 1, c: { e: { g: 1 } } })).toBe(true);
    expect(m(pattern, { b: 1, c: { e: { h: 1 } } })).toBe(false);
    expect(m(pattern, { c: { d: 1 } })).toBe(false);
  });

  it('requires values matched together to come from the same element of each shared array', () => {
    const pattern = { tags: { key: ['owner'], value: ['alice'] } };
    expect(
      m(pattern, {
        tags: [
          { key: 'owner', value: 'bob' },
          { key: 'env', value: 'alice' },
        ],
      }),
    ).toBe(false);
    expect(
      m(pattern, {
        tags: [
          { key: 'env', value: 'x' },
          { key: 'owner', value: 'alice' },
        ],
      }),
    ).toBe(true);
    // Sibling arrays are independent of each other.
    expect(m({ a: { x: [1] }, b: { y: [2] } }, { a: [{ x: 0 }, { x: 1 }], b: [{ y: 2 }] })).toBe(true);
    // Nested arrays: the inner element is free, the outer one is shared.
    const nested = { r: { s: { k: ['a'] }, t: ['b'] } };
    expect(m(nested, { r: [{ s: [{ k: 'z' }, { k: 'a' }], t: 'b' }] })).toBe(true);
    expect(m(nested, { r: [{ s: [{ k: 'a' }] }, { t: 'b' }] })).toBe(false);
  });

  it('checks exists:false within the array elements pinned by fields that sort before it', () => {
    // "tags.key" sorts before "tags.value": the absence is judged in the element holding the key.
    const pinned = { tags: { key: ['owner'], value: [{ exists: false }] } };
    expect(m(pinned, { tags: [{ key: 'owner' }, { key: 'env', value: 'x' }] })).toBe(true);
    expect(m(pinned, { tags: [{ key: 'owner', value: 'x' }] })).toBe(false);
    // "tags.a" sorts before "tags.key": nothing is pinned yet, so any element's "a" counts.
    const unpinned = { tags: { a: [{ exists: false }], key: ['owner'] } };
    expect(m(unpinned, { tags: [{ key: 'owner' }, { a: 1 }] })).toBe(false);
    expect(m(unpinned, { tags: [{ key: 'owner' }, { b: 1 }] })).toBe(true);
  });

  it('does not match events that are not JSON objects', () => {
    const compiled = compilePattern({ a: [{ exists: false }] });
    for (const event of [null, undefined, [], 'event', 42, true]) expect(compiled.matches(event)).toBe(false);
    expect(compiled.matches({})).toBe(true);
  });

  it('ignores event values JSON cannot hold', () => {
    const compiled = compilePattern({ a: [{ exists: false }], b: [1] });
    expect(compiled.matches({ a: undefined, b: 1 })).toBe(true);
    expect(compiled.matches({ a: () => 1, b: 1 })).toBe(true);
    expect(compiled.matches({ a: Symbol('x'), b: 1 })).toBe(true);
  });

  it('does not modify the pattern or the event', () => {
    const pattern = { a: [{ prefix: 'x' }], $or: [{ b: [1] }, { c: { d: [2] } }] };
    const event = { a: 'xyz', c: [{ d: 2 }] };
    const before = JSON.stringify([pattern, event]);
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(JSON.stringify([pattern, event])).toBe(before);
  });
});

describe('hostile input', () => {
  it('treats __proto__ and other Object.prototype names as plain field names', () => {
    const pattern = JSON.parse('{"__proto__": {"polluted": ["yes"]}, "constructor": ["x"], "hasOwnProperty": [{"exists": false}]}') as unknown;
    const compiled = compilePattern(pattern);
    expect(compiled.matches(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x"}'))).toBe(true);
    expect(compiled.matches(JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "x", "hasOwnProperty": 1}'))).toBe(false);
    expect(compiled.matches({ constructor: 'x' })).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  });

  it('rejects __proto__ as an operator name like any unknown operator', () => {
    expect(reasonFor({ a: [JSON.parse('{"__proto__": "x"}')] })).toBe('Unrecognized match type __proto__');
    expect(reasonFor({ a: [{ 'anything-but': JSON.parse('{"__proto__": "x"}') }] })).toBe('Unsupported anything-but pattern: __proto__');
  });

  it('rejects patterns that are not JSON', () => {
    const cyclic: Record<string, unknown> = { a: [1] };
    cyclic.b = cyclic;
    const sparse: unknown[] = ['x'];
    sparse[2] = 'y';
    const cases: unknown[] = [
      { a: [() => 1] },
      { a: [undefined] },
      { a: undefined },
      { a: [1n] },
      { a: [Number.NaN] },
      { a: [new Date(0)] },
      { a: new Map() },
      { a: [Symbol('s')] },
      { a: sparse },
      cyclic,
      { a: [{ numeric: ['>', () => 0] }] },
    ];
    for (const pattern of cases) {
      expect(() => validatePattern(pattern)).toThrow(InvalidPatternError);
      expect(reasonFor(pattern)).toMatch(/^Pattern is not JSON: /);
    }
    expect(reasonFor(new Map())).toBe('Filter is not an object');
    expect(reasonFor(Object.create({ a: [1] }))).toBe('Filter is not an object');
    expect(() => validatePattern(Object.assign(Object.create(null) as object, { a: [1] }))).not.toThrow();
  });

  it('refuses patterns nested deeper than EventBridge can parse, without overflowing the stack', () => {
    const nest = (depth: number): Record<string, unknown> => {
      let pattern: Record<string, unknown> = { leaf: ['x'] };
      for (let i = 1; i < depth; i++) pattern = { n: pattern };
      return pattern;
    };
    expect(reasonFor(nest(5000))).toBe('Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)');
    const deep = nest(999); // 999 objects plus the value list: exactly the limit
    let event: Record<string, unknown> = { leaf: 'x' };
    for (let i = 1; i < 999; i++) event = { n: event };
    expect(matchesPattern(deep, event)).toBe(true);
  });

  it('handles very deeply nested and cyclic events without throwing', () => {
    let deepArray: unknown = 1;
    for (let i = 0; i < 200_000; i++) deepArray = [deepArray];
    const compiled = compilePattern({ a: [1] });
    expect(compiled.matches({ a: deepArray })).toBe(false); // deeper than EventBridge could parse
    let shallow: unknown = 1;
    for (let i = 0; i < 900; i++) shallow = [shallow];
    expect(compiled.matches({ a: shallow })).toBe(true);

    let deepObject: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) deepObject = { n: deepObject };
    expect(compiled.matches({ a: 1, other: deepObject })).toBe(true); // never visited

    const cycle: unknown[] = [2];
    cycle.push(cycle);
    expect(compiled.matches({ a: cycle })).toBe(false);
    const shared = [1];
    expect(compiled.matches({ a: [shared, shared] })).toBe(true);
  });

  it('stays fast on very long strings and adversarial wildcards', () => {
    const long = 'a'.repeat(5_000_000);
    const compiled = compilePattern({
      w: [{ wildcard: '*a*a*a*a*a*a*a*a*a*a*b' }],
      p: [{ prefix: { 'equals-ignore-case': 'A'.repeat(1000) } }],
      s: [{ suffix: { 'equals-ignore-case': 'A' } }],
      e: [{ 'equals-ignore-case': `${'a'.repeat(1000)}b` }],
      x: [{ 'anything-but': { wildcard: `*${'a'.repeat(100)}*` } }, long],
    });
    const started = Date.now();
    expect(compiled.matches({ w: long, p: long, s: long, e: long, x: long })).toBe(false);
    expect(compiled.matches({ w: `${long}b`, p: long, s: long, e: `${'a'.repeat(1000)}b`, x: long })).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses $or combinations that would explode', () => {
    const pattern: Record<string, unknown> = {};
    for (let i = 0; i < 20; i++) pattern[`f${i}`] = { $or: [{ a: [1] }, { b: [2] }] };
    expect(reasonFor(pattern)).toBe('Pattern expands into more than 10000 $or combinations');
  });

  it('does not multiply sibling arrays when searching for consistent elements', () => {
    const a = Array.from({ length: 3000 }, (_, i) => ({ x: i }));
    const b = Array.from({ length: 3000 }, (_, i) => ({ y: i }));
    const compiled = compilePattern({ a: { x: [{ exists: true }] }, b: { y: [{ exists: true }] }, c: [1] });
    const started = Date.now();
    expect(compiled.matches({ a, b })).toBe(false);
    expect(compiled.matches({ a, b, c: 1 })).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('throughput', () => {
  it('matches a CloudTrail-sized event many times quickly once compiled', () => {
    const compiled = compilePattern({
      source: ['aws.secretsmanager'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['secretsmanager.amazonaws.com'],
        eventName: ['DeleteSecret', 'RestoreSecret'],
        errorCode: [{ exists: false }],
        userIdentity: { type: [{ 'anything-but': ['AWSService'] }] },
        requestParameters: { recoveryWindowInDays: [{ numeric: ['<', 30] }] },
      },
    });
    const event = {
      version: '0',
      source: 'aws.secretsmanager',
      'detail-type': 'AWS API Call via CloudTrail',
      resources: [],
      detail: {
        eventVersion: '1.08',
        userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice', sessionContext: { attributes: { mfaAuthenticated: 'true' } } },
        eventSource: 'secretsmanager.amazonaws.com',
        eventName: 'DeleteSecret',
        sourceIPAddress: '203.0.113.5',
        requestParameters: { secretId: 'prod/db', recoveryWindowInDays: 7 },
        responseElements: { arn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf' },
        resources: [{ ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf', type: 'AWS::SecretsManager::Secret' }],
      },
    };
    const started = Date.now();
    let matched = 0;
    for (let i = 0; i < 100_000; i++) if (compiled.matches(event)) matched++;
    expect(matched).toBe(100_000);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
