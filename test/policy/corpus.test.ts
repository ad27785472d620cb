/**
 * The policy corpus (test/fixtures/policies, provenance in SOURCES.md there): every policy with the
 * verdict the policy analyzer must give it (public, cross-account or private) and why, as data. Each is analysed as written (a JSON string,
 * as CloudTrail logs it, or an object) and, for objects, also as its JSON text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePolicy, PolicyError, type AnalysisContext, type PolicyAnalysis } from '../../src/policy';

const DIR = join(__dirname, '..', 'fixtures', 'policies');
/** The corpus context unless a case says otherwise (SOURCES.md). */
const DEFAULT_CONTEXT: AnalysisContext = { owner: '111122223333', trustedAccounts: ['444455556666'], trustedOrgId: 'o-a1b2c3d4e5' };

interface Case {
  name: string;
  source: string;
  why: string;
  context?: Partial<AnalysisContext>;
  policy: unknown;
  expect: {
    verdict: 'public' | 'cross-account' | 'private' | 'error';
    errorReason?: string;
    statements?: { index: number; access: string }[];
    allowsGetSecretValue?: boolean;
    accounts?: string[];
    organizations?: string[];
    /** Deny statements credited, by position. */
    creditedDenies?: number[];
    /** Words that some statement's openTo or conditions must say: the reason reaches the finding's details. */
    reasonContains?: string;
  };
}

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const cases: [string, Case][] = files.map((f) => [f, JSON.parse(readFileSync(join(DIR, f), 'utf8')) as Case]);

function outcome(policy: unknown, ctx: AnalysisContext): PolicyAnalysis | PolicyError {
  try {
    return analyzePolicy(policy, ctx);
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
}

test('the corpus has at least 40 policies, each with a verdict and why', () => {
  expect(cases.length).toBeGreaterThanOrEqual(40);
  for (const [file, c] of cases) {
    expect({ file, why: c.why.length > 10, name: c.name.length > 3, source: c.source.length > 3 }).toEqual({ file, why: true, name: true, source: true });
  }
});

test('the corpus covers every verdict, the AWS documentation examples and the required shapes', () => {
  const verdicts = new Set(cases.map(([, c]) => c.expect.verdict));
  expect([...verdicts].sort()).toEqual(['cross-account', 'error', 'private', 'public']);
  expect(cases.filter(([, c]) => c.source.startsWith('aws-docs:')).length).toBeGreaterThanOrEqual(10);
  const largest = Math.max(...cases.map(([, c]) => (typeof c.policy === 'string' ? c.policy.length : JSON.stringify(c.policy).length)));
  expect(largest).toBeGreaterThan(19_000);
});

describe.each(cases)('%s', (_file, c) => {
  const ctx: AnalysisContext = { ...DEFAULT_CONTEXT, ...c.context };
  const forms: [string, unknown][] =
    typeof c.policy === 'string'
      ? [['as written', c.policy]]
      : [
          ['as an object', c.policy],
          ['as JSON text', JSON.stringify(c.policy)],
        ];

  test.each(forms)(`${c.expect.verdict}: ${c.why.replace(/%/g, '%%')} (%s)`, (_form, policy) => {
    const result = outcome(policy, ctx);
    if (c.expect.verdict === 'error') {
      expect(result).toBeInstanceOf(PolicyError);
      expect((result as PolicyError).reason).toBe(c.expect.errorReason);
      return;
    }
    if (result instanceof PolicyError) throw new Error(`expected a verdict, got ${result.reason}: ${result.message}`);
    expect(result.access).toBe(c.expect.verdict);
    if (c.expect.statements) expect(result.statements.map((s) => ({ index: s.index, access: s.access }))).toEqual(c.expect.statements);
    const decisive = result.statements.filter((s) => s.access === result.access);
    if (c.expect.allowsGetSecretValue !== undefined) expect(decisive.some((s) => s.allowsGetSecretValue)).toBe(c.expect.allowsGetSecretValue);
    if (c.expect.accounts) expect([...new Set(decisive.flatMap((s) => s.accounts))].sort()).toEqual([...c.expect.accounts].sort());
    if (c.expect.organizations) expect([...new Set(decisive.flatMap((s) => s.organizations))].sort()).toEqual([...c.expect.organizations].sort());
    if (c.expect.creditedDenies) expect(result.creditedDenies).toEqual(c.expect.creditedDenies);
    if (c.expect.reasonContains) expect(result.statements.map((s) => `${s.openTo} | ${s.conditions}`).join('\n')).toContain(c.expect.reasonContains);
    // Every listed statement says who it opens the secret to and why its conditions do or do not restrict it.
    for (const s of result.statements) {
      expect(s.openTo.length).toBeGreaterThan(3);
      expect(s.conditions.length).toBeGreaterThan(3);
    }
  });
});
