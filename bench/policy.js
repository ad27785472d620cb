'use strict';
// Policy analysis speed. Resource policies: policies analysed per second over the corpus
// (test/fixtures/policies, each as the JSON text CloudTrail logs), and the time for one policy of
// 10,000 statements. Identity policies: analysed per second against "every secret of the
// account", over the AWS managed policies SecretWatch ships (src/resources/awsManagedPolicies.json,
// their Secrets Manager statements) and generated ones (seeded: the same on every machine), each as
// the JSON text IAM's events carry. Measured in a child node process of its own, so that nothing else the bench
// did has warmed or filled its heap; the analyzer (src/policy) is bundled in memory with esbuild.
// Every corpus verdict is checked against the corpus first: timing a wrong analyzer is worthless.
//
//   node bench/policy.js            prints the result as JSON (what run.js reads)
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { loadBundled, runIsolated } = require('./bundle');
const { median, round } = require('./measure');
const { Rng } = require('./prng');

const ROOT = join(__dirname, '..');
const CORPUS = join(ROOT, 'test', 'fixtures', 'policies');
/** The corpus's own context unless a policy says otherwise (test/fixtures/policies/SOURCES.md). */
const DEFAULT_CONTEXT = { owner: '111122223333', trustedAccounts: ['444455556666'], trustedOrgId: 'o-a1b2c3d4e5' };
const TARGET_POLICIES_PER_SECOND = 20_000;
const TARGET_LARGE_POLICY_MS = 100;
const LARGE_STATEMENTS = 10_000;
/** Rounds of the whole corpus per timed run, and timed runs (the median is reported). */
const CORPUS_ROUNDS = 400;
const RUNS = 7;
const IDENTITY_SCOPE = { kind: 'account', account: '111122223333' };
const GENERATED_IDENTITY_POLICIES = 400;
/** AWS managed policies whose verdict is known: [name, reads every secret's value]. */
const KNOWN_MANAGED = [
  ['AdministratorAccess', true],
  ['PowerUserAccess', true],
  ['SecretsManagerReadWrite', true],
  ['ReadOnlyAccess', false],
];

function loadAnalyzer() {
  return loadBundled(join(ROOT, 'src', 'policy', 'index.ts'));
}

function loadCorpus() {
  return readdirSync(CORPUS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const c = JSON.parse(readFileSync(join(CORPUS, file), 'utf8'));
      return { file, text: typeof c.policy === 'string' ? c.policy : JSON.stringify(c.policy), ctx: { ...DEFAULT_CONTEXT, ...c.context }, expect: c.expect };
    });
}

/** The shipped AWS managed policies, and generated identity policies of 1 to 12 statements mixing every shape the checks read. */
function identityCorpus() {
  const table = JSON.parse(readFileSync(join(ROOT, 'src', 'resources', 'awsManagedPolicies.json'), 'utf8'));
  const managed = Object.entries(table.policies).map(([name, p]) => ({ name, text: JSON.stringify({ Version: '2012-10-17', Statement: p.statements }) }));
  const rng = new Rng('secretwatch identity policies');
  const actions = [
    '*',
    'secretsmanager:*',
    'secretsmanager:Get*',
    'secretsmanager:GetSecretValue',
    'secretsmanager:DescribeSecret',
    's3:GetObject',
    'ec2:*',
    'kms:Decrypt',
    'secretsmanager:Put*',
    'iam:PassRole',
  ];
  const resources = ['*', 'arn:aws:secretsmanager:*:111122223333:secret:*', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/*', 'arn:aws:s3:::bucket/*', 'arn:aws:secretsmanager:*'];
  const conditions = [
    undefined,
    { StringEquals: { 'secretsmanager:ResourceTag/team': 'payments' } },
    { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
    { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
  ];
  const generated = Array.from({ length: GENERATED_IDENTITY_POLICIES }, (_, i) => {
    const statements = Array.from({ length: rng.int(1, 12) }, (_, j) => {
      const list = Array.from({ length: rng.int(1, 4) }, () => rng.pick(actions));
      const condition = rng.pick(conditions);
      return {
        Sid: `S${j}`,
        Effect: rng.chance(0.15) ? 'Deny' : 'Allow',
        ...(rng.chance(0.1) ? { NotAction: ['iam:*', 'organizations:*'] } : { Action: list.length === 1 ? list[0] : list }),
        Resource: rng.pick(resources),
        ...(condition ? { Condition: condition } : {}),
      };
    });
    return { name: `generated-${i}`, text: JSON.stringify({ Version: '2012-10-17', Statement: statements }) };
  });
  return { managed, generated };
}

function readsEverySecret(analyzer, text) {
  return analyzer.analyzeIdentityPolicy(text, IDENTITY_SCOPE).grants.some((g) => g.reads && g.narrowing.length === 0);
}

/** The hostile-input test's shape: owner roles, then one public statement at the very end. */
function largePolicy() {
  const statements = Array.from({ length: LARGE_STATEMENTS }, (_, i) => ({
    Sid: `Reader${i}`,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::111122223333:role/app-${i}` },
    Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    Resource: '*',
  }));
  statements.push({ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: 'secretsmanager:GetSecretValue', Resource: '*' });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function verdictOf(analyzer, item) {
  try {
    return analyzer.analyzePolicy(item.text, item.ctx).access;
  } catch (error) {
    if (error instanceof analyzer.PolicyError) return 'error';
    throw error;
  }
}

function child() {
  const analyzer = loadAnalyzer();
  const corpus = loadCorpus();
  const wrong = corpus.filter((item) => verdictOf(analyzer, item) !== item.expect.verdict).map((item) => item.file);
  if (wrong.length) return { verified: false, error: `verdicts differ from the corpus for ${wrong.join(', ')}` };

  const identity = identityCorpus();
  const identityAll = [...identity.managed, ...identity.generated];
  const wrongIdentity = KNOWN_MANAGED.filter(([name, reads]) => {
    const item = identity.managed.find((m) => m.name === name);
    return !item || readsEverySecret(analyzer, item.text) !== reads;
  }).map(([name]) => name);
  if (wrongIdentity.length) return { verified: false, error: `identity verdicts wrong for ${wrongIdentity.join(', ')}` };

  const large = largePolicy();
  const t0 = process.hrtime.bigint();
  const first = analyzer.analyzePolicy(large, DEFAULT_CONTEXT);
  const largePolicyFirstMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (first.access !== 'public' || first.statementCount !== LARGE_STATEMENTS + 1) return { verified: false, error: `the ${LARGE_STATEMENTS}-statement policy was judged ${first.access}` };

  for (let i = 0; i < 50; i++) for (const item of corpus) verdictOf(analyzer, item); // warm-up
  const rates = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CORPUS_ROUNDS; i++) for (const item of corpus) verdictOf(analyzer, item);
    rates.push((CORPUS_ROUNDS * corpus.length) / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  for (let i = 0; i < 20; i++) for (const item of identityAll) analyzer.analyzeIdentityPolicy(item.text, IDENTITY_SCOPE); // warm-up
  const identityRates = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 40; i++) for (const item of identityAll) analyzer.analyzeIdentityPolicy(item.text, IDENTITY_SCOPE);
    identityRates.push((40 * identityAll.length) / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  const largeRuns = [];
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    analyzer.analyzePolicy(large, DEFAULT_CONTEXT);
    largeRuns.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return {
    verified: true,
    corpusSize: corpus.length,
    corpusBytes: corpus.reduce((a, item) => a + item.text.length, 0),
    policiesPerSecond: Math.round(median(rates)),
    identityPoliciesPerSecond: Math.round(median(identityRates)),
    identityManaged: identity.managed.length,
    identityGenerated: identity.generated.length,
    identityBytes: identityAll.reduce((a, item) => a + item.text.length, 0),
    largePolicyStatements: first.statementCount,
    largePolicyChars: large.length,
    largePolicyWorkUnits: first.workUnits,
    largePolicyMs: round(median(largeRuns), 1),
    largePolicyFirstMs: round(largePolicyFirstMs, 1),
    runs: { policiesPerSecond: rates.map((r) => Math.round(r)), identityPoliciesPerSecond: identityRates.map((r) => Math.round(r)), largePolicyMs: largeRuns.map((r) => round(r, 1)) },
  };
}

/** Runs the measurement in its own node process; returns its result with the targets. */
function policyBench({ log = () => {} } = {}) {
  log('policy: analysing the corpus, a 10,000-statement policy and the identity policies...\n');
  const result = runIsolated(__filename, ROOT);
  if (!result.verified) return result;
  result.targets = {
    policiesPerSecond: { value: result.policiesPerSecond, target: `> ${TARGET_POLICIES_PER_SECOND}`, pass: result.policiesPerSecond > TARGET_POLICIES_PER_SECOND },
    identityPoliciesPerSecond: { value: result.identityPoliciesPerSecond, target: `> ${TARGET_POLICIES_PER_SECOND}`, pass: result.identityPoliciesPerSecond > TARGET_POLICIES_PER_SECOND },
    largePolicyMs: { value: result.largePolicyMs, target: `< ${TARGET_LARGE_POLICY_MS} ms`, pass: result.largePolicyMs < TARGET_LARGE_POLICY_MS },
  };
  return result;
}

if (require.main === module) process.stdout.write(`${JSON.stringify(child())}\n`);

module.exports = { policyBench, TARGET_POLICIES_PER_SECOND, TARGET_LARGE_POLICY_MS, RUNS };
