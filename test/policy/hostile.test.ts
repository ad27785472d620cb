/**
 * Hostile policies: the analyzer returns a verdict or a PolicyError with a stable reason, never an
 * untyped error, never a hang (its work is bounded, see src/policy/budget.ts), and never lets a
 * key such as "__proto__" change what it reads. Timings are measured by `npm run bench`, not here.
 */
import { analyzePolicy, MAX_POLICY_CHARS, MAX_WORK_UNITS, PolicyError, WorkBudget, type PolicyAnalysis } from '../../src/policy';

const ctx = { owner: '111122223333', trustedAccounts: [], trustedOrgId: null };

function outcome(policy: unknown, budget?: WorkBudget): PolicyAnalysis | PolicyError {
  try {
    return analyzePolicy(policy, ctx, budget);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error; // an untyped error fails the test
  }
}

function reasonOf(policy: unknown): string {
  const result = outcome(policy);
  if (!(result instanceof PolicyError)) throw new Error(`expected a PolicyError, got the verdict ${result.access}`);
  return result.reason;
}

const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...extra });
const policy = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('10,000 statements', () => {
  test('owner roles and one public statement at the very end: public, and only that one', () => {
    const statements: unknown[] = Array.from({ length: 10_000 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::111122223333:role/r${i}` },
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
    }));
    statements.push({ ...allow(), Sid: 'Last' });
    const result = outcome(policy(...statements));
    expect(result).not.toBeInstanceOf(PolicyError);
    const analysis = result as PolicyAnalysis;
    expect(analysis.access).toBe('public');
    expect(analysis.statementCount).toBe(10_001);
    expect(analysis.statements.filter((s) => s.access === 'public').map((s) => s.sid)).toEqual(['Last']);
    expect(analysis.workUnits).toBeLessThan(MAX_WORK_UNITS);
  });

  test('10,000 conditions on one statement, and 10,000 principals in one list', () => {
    const condition = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`aws:PrincipalTag/k${i}`, `v${i}`]));
    expect((outcome(policy(allow({ Condition: { StringEquals: condition } }))) as PolicyAnalysis).access).toBe('public');
    const principals = Array.from({ length: 10_000 }, (_, i) => `arn:aws:iam::111122223333:role/r${i}`);
    expect((outcome(policy(allow({ Principal: { AWS: principals } }))) as PolicyAnalysis).access).toBe('private');
  });

  test('wildcard patterns built to make matching backtrack end in a verdict or too-complex, within the budget', () => {
    // 10,000 distinct patterns (no memo helps), each with dozens of stars against every action name.
    const evil = (i: number) => [`secretsmanager:${'*a'.repeat(30)}b${i}`, `*${'?*'.repeat(20)}${i}`, `${'*s'.repeat(20)}${i}`, `s*:${'*?'.repeat(20)}${i}`, `*${i}`];
    const statements = Array.from({ length: 2_000 }, (_, i) => allow({ Action: evil(i) }));
    const text = policy(...statements);
    expect(text.length).toBeLessThan(MAX_POLICY_CHARS);
    const result = outcome(text);
    if (result instanceof PolicyError) expect(result.reason).toBe('too-complex');
    else expect(result.workUnits).toBeLessThanOrEqual(MAX_WORK_UNITS);
  });

  test('5,000 Allow statements behind 5,000 Deny perimeters: repeats of one perimeter are counted once, distinct ones are bounded by the budget', () => {
    const perimeter = (org: string) => ({ Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': org } } });
    const allows = Array.from({ length: 5_000 }, (_, i) => allow({ Sid: `A${i}` }));
    const same = outcome(policy(...allows, ...Array.from({ length: 5_000 }, () => perimeter('o-a1b2c3d4e5'))));
    expect(same).not.toBeInstanceOf(PolicyError);
    expect((same as PolicyAnalysis).access).toBe('cross-account');
    expect((same as PolicyAnalysis).creditedDenies).toHaveLength(5_000);
    // 5,000 different organizations, ANDed: no caller can be in all of them.
    const distinct = outcome(policy(...allows, ...Array.from({ length: 5_000 }, (_, i) => perimeter(`o-${String(i).padStart(10, '0')}`))));
    if (distinct instanceof PolicyError) expect(distinct.reason).toBe('too-complex');
    else expect(distinct.access).toBe('private');
  });

  test('a small budget turns any large policy into too-complex, not a long run', () => {
    const statements = Array.from({ length: 10_000 }, () => allow());
    expect((outcome(policy(...statements), new WorkBudget(1_000)) as PolicyError).reason).toBe('too-complex');
  });
});

describe('deep nesting', () => {
  const deep = (n: number, leaf = '"x"') => `${'['.repeat(n)}${leaf}${']'.repeat(n)}`;

  test.each([
    [
      'condition values',
      'invalid-condition',
      () => `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Condition":{"StringEquals":{"aws:PrincipalOrgID":${deep(100_000)}}}}]}`,
    ],
    ['a condition block', 'invalid-condition', () => `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Condition":{"StringEquals":${deep(100_000)}}}]}`],
    ['the Statement list', 'invalid-statement', () => `{"Statement":${deep(100_000, '{}')}}`],
    ['a principal list', 'invalid-principal', () => `{"Statement":[{"Effect":"Allow","Principal":{"AWS":${deep(100_000)}},"Action":"secretsmanager:*"}]}`],
    ['an action list', 'invalid-action', () => `{"Statement":[{"Effect":"Allow","Principal":"*","Action":${deep(100_000)}}]}`],
    ['the whole document', 'not-an-object', () => deep(200_000)],
  ])('%s nested 100,000 deep -> %s', (_what, reason, text) => {
    expect(reasonOf(text())).toBe(reason);
  });

  test('objects nested deeply as values (already parsed, as a replayed record can hold them)', () => {
    let nested: unknown = 'x';
    for (let i = 0; i < 50_000; i++) nested = { a: nested };
    expect(reasonOf({ Statement: [allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': nested } } })] })).toBe('invalid-condition');
    expect(reasonOf({ Statement: [allow({ Principal: nested })] })).toBe('invalid-principal');
  });
});

describe('__proto__, constructor and other inherited names', () => {
  afterEach(() => {
    // Nothing the analyzer read may have reached Object.prototype.
    expect(({} as Record<string, unknown>).Statement).toBeUndefined();
    expect(({} as Record<string, unknown>).Effect).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('a Statement hidden under "__proto__" is not a Statement', () => {
    expect(reasonOf('{"__proto__": {"Statement": [{"Effect":"Allow","Principal":"*","Action":"*"}]}}')).toBe('invalid-statement');
  });

  test('an Effect inherited through "__proto__" is not an Effect', () => {
    expect(reasonOf('{"Statement":[{"__proto__":{"Effect":"Allow"},"Principal":"*","Action":"*"}]}')).toBe('invalid-statement');
  });

  test('"__proto__" and "constructor" as principal types are unknown types', () => {
    expect(reasonOf('{"Statement":[{"Effect":"Allow","Principal":{"__proto__":"*"},"Action":"*"}]}')).toBe('invalid-principal');
    expect(reasonOf('{"Statement":[{"Effect":"Allow","Principal":{"constructor":"*"},"Action":"*"}]}')).toBe('invalid-principal');
  });

  test('"__proto__" as a condition operator or key pins nothing, and pollutes nothing', () => {
    const text =
      '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Condition":{"__proto__":{"polluted":"yes"},"StringEquals":{"__proto__":"o-a1b2c3d4e5","toString":"x"}}}]}';
    const result = outcome(text) as PolicyAnalysis;
    expect(result.access).toBe('public');
  });

  test('Effect written twice in different cases: the last one counts, as everywhere else, whether a Deny comes before it or not', () => {
    const twice = { effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*', Effect: 'Deny' };
    // A Deny of GetSecretValue to everyone, unconditionally: the Allow of it opens the secret to nobody.
    expect(outcome(policy(twice, allow({ Sid: 'Open' })))).toMatchObject({ access: 'private', denyCount: 1, allowCount: 1, creditedDenies: [0] });
    const reversed = { Effect: 'Deny', Principal: '*', Action: 'secretsmanager:*', Resource: '*', effect: 'Allow' };
    expect(outcome(policy(reversed))).toMatchObject({ access: 'public', denyCount: 0, allowCount: 1 });
  });

  test('a Sid or Effect named like an Object.prototype member is just a string', () => {
    const result = outcome(policy({ ...allow(), Sid: 'constructor' })) as PolicyAnalysis;
    expect(result.statements[0].sid).toBe('constructor');
    expect(reasonOf(policy({ ...allow(), Effect: 'hasOwnProperty' }))).toBe('invalid-statement');
  });
});

describe('non-string and missing pieces', () => {
  test.each<[unknown, string]>([
    [{ AWS: 123456789012 }, 'a number'],
    [{ AWS: null }, 'null'],
    [{ AWS: [['arn:aws:iam::111122223333:root']] }, 'a nested list'],
    [{ AWS: { id: '111122223333' } }, 'an object'],
    [{ Service: true }, 'a boolean'],
    [42, 'a number as Principal'],
    [null, 'null as Principal'],
    [['*'], 'a list as Principal'],
  ])('Principal %j (%s): invalid-principal', (principal, _what) => {
    expect(reasonOf(policy(allow({ Principal: principal })))).toBe('invalid-principal');
  });

  test.each([
    [allow({ Action: 7 }), 'invalid-action'],
    [allow({ Action: [null] }), 'invalid-action'],
    [{ Effect: 'Allow', Principal: '*' }, 'invalid-action'],
    [{ Effect: 'Allow', Action: '*' }, 'invalid-principal'],
    [{ ...allow(), NotPrincipal: '*' }, 'invalid-principal'],
    [allow({ Effect: true }), 'invalid-statement'],
    [allow({ Effect: 'Maybe' }), 'invalid-statement'],
    [allow({ Condition: 'none' }), 'invalid-condition'],
    [allow({ Condition: { StringEquals: 'o-1' } }), 'invalid-condition'],
    [allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': { nested: 1 } } } }), 'invalid-condition'],
    ['not a statement', 'invalid-statement'],
    [null, 'invalid-statement'],
  ])('%j: %s', (statement, reason) => {
    expect(reasonOf(policy(statement))).toBe(reason);
  });

  test.each([
    [undefined, 'missing'],
    [null, 'missing'],
    ['', 'missing'],
    ['   ', 'missing'],
    [42, 'not-an-object'],
    ['42', 'not-an-object'],
    ['{"Version":"2012-10-17"}', 'invalid-statement'],
    ['{"Statement":"Allow everything"}', 'invalid-statement'],
    ['{"Statement":', 'invalid-json'],
    ['\u0000{}', 'invalid-json'],
  ])('document %j: %s', (input, reason) => {
    expect(reasonOf(input)).toBe(reason);
  });

  test(`a policy over ${MAX_POLICY_CHARS} characters is refused before it is parsed`, () => {
    expect(reasonOf(`{"Statement":[${'{},'.repeat(MAX_POLICY_CHARS / 3)}{}]}`)).toBe('too-large');
  });

  test('numbers and booleans in conditions are values like strings', () => {
    const result = outcome(policy(allow({ Condition: { StringEquals: { 'aws:PrincipalAccount': 111122223333 }, Bool: { 'aws:SecureTransport': true } } }))) as PolicyAnalysis;
    expect(result.access).toBe('private');
  });
});

describe('random structures (seeded)', () => {
  /** A small deterministic PRNG (mulberry32): the same 2,000 structures on every run. */
  function prng(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const KEYS = [
    'Statement',
    'Effect',
    'Principal',
    'NotPrincipal',
    'Action',
    'NotAction',
    'Condition',
    'AWS',
    'Service',
    'Federated',
    'StringEquals',
    'ForAllValues:StringLike',
    'aws:PrincipalOrgID',
    'aws:SourceIp',
    'IpAddress',
    '__proto__',
    'constructor',
    'Sid',
    'Allow',
    'Deny',
  ];
  const LEAVES = [
    '*',
    'Allow',
    'Deny',
    'secretsmanager:*',
    'secretsmanager:Get*',
    'arn:aws:iam::*:root',
    'arn:aws:iam::111122223333:role/x',
    '999988887777',
    'o-a1b2c3d4e5',
    '0.0.0.0/0',
    '10.0.0.0/8',
    '${aws:ResourceAccount}',
    '',
    7,
    true,
    null,
  ];

  function build(rnd: () => number, depth: number): unknown {
    const r = rnd();
    if (depth > 6 || r < 0.3) return LEAVES[Math.floor(rnd() * LEAVES.length)];
    if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 4) }, () => build(rnd, depth + 1));
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(rnd() * 5); i > 0; i--)
      Object.defineProperty(out, KEYS[Math.floor(rnd() * KEYS.length)], { value: build(rnd, depth + 1), enumerable: true, configurable: true, writable: true });
    return out;
  }

  const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const PRINCIPALS = [
    '*',
    { AWS: '*' },
    { AWS: 'arn:aws:iam::111122223333:role/a' },
    { AWS: ['999988887777', 'arn:aws:iam::*:root'] },
    { Service: 'lambda.amazonaws.com' },
    { Federated: 'accounts.google.com' },
  ];
  const CONDITIONS = [
    undefined,
    { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
    { StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' } },
    { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } },
    { StringEquals: { 'aws:SourceAccount': '999988887777' } },
  ];

  /** A statement whose every element is, four times in five, a valid one: random enough to probe, valid enough to reach verdicts. */
  function statement(rnd: () => number): unknown {
    const part = (valid: () => unknown) => (rnd() < 0.8 ? valid() : build(rnd, 3));
    const out: Record<string, unknown> = {
      Effect: part(() => pick(rnd, ['Allow', 'Deny', 'allow'])),
      [rnd() < 0.9 ? 'Principal' : 'NotPrincipal']: part(() => pick(rnd, PRINCIPALS)),
      [rnd() < 0.9 ? 'Action' : 'NotAction']: part(() => pick(rnd, ['secretsmanager:*', 'secretsmanager:GetSecretValue', '*', ['secretsmanager:Describe*', 'kms:Decrypt']])),
    };
    const condition = part(() => pick(rnd, CONDITIONS));
    if (condition !== undefined) out.Condition = condition;
    return out;
  }

  test('2,000 random documents, as objects and as JSON: a verdict or a typed error, never internal-error', () => {
    const rnd = prng(20240601);
    const reasons = new Map<string, number>();
    for (let i = 0; i < 2_000; i++) {
      const doc = { Statement: rnd() < 0.2 ? build(rnd, 0) : Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => statement(rnd)) };
      for (const form of [doc, JSON.stringify(doc)]) {
        const result = outcome(form);
        const key = result instanceof PolicyError ? result.reason : result.access;
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
      }
    }
    expect(reasons.has('internal-error')).toBe(false);
    // The generator reaches verdicts as well as errors, else it proves little.
    expect([...reasons.keys()].filter((k) => ['public', 'private', 'cross-account'].includes(k)).sort()).toEqual(['cross-account', 'private', 'public']);
  });
});
