'use strict';
// Replay throughput and memory: the real CLI (bin/secretwatch.js replay) over the generated
// archive, next to `zcat` of the same files (the floor: just inflating the bytes). The replay is
// verified first; timing a replay that finds the wrong things would be worthless.
const { readFileSync, rmSync } = require('node:fs');
const { availableParallelism, tmpdir } = require('node:os');
const { join, relative } = require('node:path');
const { runNode, runToDevNull, round } = require('./measure');
const { FAMILIES, FAMILY_OF } = require('./needles');

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'bin', 'secretwatch.js');
const RUNS = 3;
/** The replay on every core (its default --jobs) against single-process zcat of the same files. */
const TARGET_RATIO = 0.8;
/** Replays timed: one thread, two, and every core (the default). */
const JOBS = [...new Set([1, 2, availableParallelism()])];
const TARGET_RSS_MB = 150;
/** "Flat": the 4x input may not need more than this much more memory than the 1x input. */
const FLAT_FACTOR = 1.1;
/** Check families that must have findings: a family missing here is a broken build, not a pending one. */
const REQUIRED_FAMILIES = ['deletion', 'resource-policy', 'rotation'];

const SUMMARY = /secretwatch replay: (\d+) finding\(s\) from (\d+) record\(s\) in (\d+) file\(s\) \((\d+) Secrets Manager (?:or IAM )?record\(s\) parsed, (\d+) matched a rule([^\n]*)\)/;

function parseSummary(stderr) {
  const m = SUMMARY.exec(stderr);
  if (!m) return null;
  const extra = (re) => Number(re.exec(m[6])?.[1] ?? 0);
  return {
    findings: Number(m[1]),
    records: Number(m[2]),
    files: Number(m[3]),
    parsed: Number(m[4]),
    matched: Number(m[5]),
    invalid: extra(/(\d+) invalid/),
    filesFailed: extra(/(\d+) file\(s\) failed/),
    duplicates: extra(/(\d+) duplicate\(s\) dropped/),
  };
}

function readFindings(path) {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  return lines.map((l) => JSON.parse(l));
}

const findingKey = (f) => `${f.event?.id ?? '-'} ${f.check}`;

function countBy(items, key) {
  const out = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
}

/** Multiset difference a - b, as a list of "eventID check" strings. */
function missingFrom(a, b) {
  const left = countBy(a, (x) => x);
  for (const x of b) if (left[x]) left[x]--;
  return Object.entries(left).flatMap(([k, n]) => Array(n).fill(k));
}

const tail = (text, n = 15) => text.trim().split('\n').slice(-n).join('\n');

function replayArgs(paths, { quiet, jobs }) {
  return [CLI, 'replay', ...paths, '--format', 'json', '--no-progress', ...(quiet ? ['--quiet'] : []), ...(jobs ? ['--jobs', String(jobs)] : [])];
}

/**
 * Checks the replay against the manifest and against what the needles must give (needles.js):
 * - the archive replay reads every file and every record, with nothing invalid;
 * - its findings are exactly those of a replay of the needles alone (same eventID and check,
 *   same number of times): the 999 in 1,000 and the gzip/streaming path neither add nor lose any;
 * - per check family, the number of findings is what the needles require; a family
 *   with no finding at all is reported as not implemented yet (a warning), except the families
 *   in REQUIRED_FAMILIES, whose checks exist.
 */
function verify({ manifest, archive, needles, work }) {
  const errors = [];
  const warnings = [];
  const refOut = join(work, 'needles-findings.json');
  const ref = runNode(replayArgs([needles], { quiet: false }), { stdoutPath: refOut, cwd: ROOT });
  if (ref.status !== 0) {
    errors.push(`replay of the needles alone exited ${ref.status ?? ref.signal}:\n${tail(ref.stderr)}`);
    return { ok: false, errors, warnings };
  }
  const archOut = join(work, 'archive-findings.json');
  const arch = runNode(replayArgs([archive], { quiet: false }), { stdoutPath: archOut, cwd: ROOT });
  const summary = parseSummary(arch.stderr);
  if (arch.status !== 0) errors.push(`replay of the archive exited ${arch.status ?? arch.signal}:\n${tail(arch.stderr)}`);
  if (!summary) {
    errors.push(`no summary line on the replay's stderr:\n${tail(arch.stderr)}`);
    return { ok: false, errors, warnings };
  }
  const t = manifest.totals;
  if (summary.records !== t.records) errors.push(`replay counted ${summary.records} records; the archive has ${t.records}`);
  if (summary.files !== t.files) errors.push(`replay read ${summary.files} files; the archive has ${t.files}`);
  if (summary.invalid || summary.filesFailed) errors.push(`replay reported ${summary.invalid} invalid record(s) and ${summary.filesFailed} failed file(s); the archive has none`);
  if (summary.parsed !== t.needles + t.decoys) {
    warnings.push(`replay parsed ${summary.parsed} records; ${t.needles} are Secrets Manager's and ${t.decoys} others mention "secretsmanager" (${t.needles + t.decoys})`);
  }

  const refFindings = readFindings(refOut);
  const archFindings = readFindings(archOut);
  const refKeys = refFindings.map(findingKey);
  const archKeys = archFindings.map(findingKey);
  const lost = missingFrom(refKeys, archKeys);
  const extra = missingFrom(archKeys, refKeys);
  if (lost.length || extra.length) {
    errors.push(
      `archive replay found ${archKeys.length} findings, the needles alone ${refKeys.length}` +
        (lost.length ? `; missing: ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ', ...' : ''}` : '') +
        (extra.length ? `; unexpected: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''}` : ''),
    );
  }
  if (summary.findings !== archFindings.length) errors.push(`summary says ${summary.findings} findings; ${archFindings.length} lines were printed`);

  const byCheck = countBy(refFindings, (f) => f.check);
  const byFamily = Object.fromEntries(Object.keys(FAMILIES).map((family) => [family, 0]));
  for (const [check, n] of Object.entries(byCheck)) {
    if (FAMILY_OF[check]) byFamily[FAMILY_OF[check]] += n;
    else warnings.push(`${n} finding(s) of check "${check}", which the bench does not count (not in needles.js FAMILIES)`);
  }
  const expected = manifest.expectedFindings;
  const implemented = [];
  for (const family of Object.keys(FAMILIES)) {
    const want = expected[family];
    const got = byFamily[family];
    if (got === 0 && want > 0 && !REQUIRED_FAMILIES.includes(family)) {
      warnings.push(`no ${family} findings: ${want} expected of the needles (checks not implemented yet?)`);
      continue;
    }
    implemented.push(family);
    if (got !== want) errors.push(`${family} checks: ${got} finding(s), the needles require ${want} of these records`);
  }
  const expectedNow = implemented.reduce((a, f) => a + expected[f], 0);
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    summary,
    findings: archFindings.length,
    expectedFindings: expectedNow,
    expectedFindingsAllChecks: expected.total,
    findingsByCheck: byCheck,
    checkFamiliesVerified: implemented,
  };
}

/**
 * zcat of every file in one process, best of RUNS, interleaved with the replay's runs with each of
 * JOBS; every timed replay's findings must be the one-thread replay's, byte for byte.
 */
function measure({ manifest, archive, work, log, findings }) {
  const files = manifest.files.map((f) => relative(ROOT, join(archive, f.path)));
  const zcat = [];
  const byJobs = Object.fromEntries(JOBS.map((j) => [j, []]));
  const out = join(work, 'timed-findings.json');
  let reference = null;
  for (let i = 0; i < RUNS; i++) {
    const z = runToDevNull('zcat', files, { cwd: ROOT });
    if (z.status !== 0) throw new Error(`zcat exited ${z.status}: ${tail(z.stderr ?? '')}`);
    zcat.push(z.seconds);
    const line = [`zcat ${z.seconds.toFixed(2)} s`];
    for (const jobs of JOBS) {
      const r = runNode(replayArgs([archive], { quiet: true, jobs }), { stdoutPath: out, cwd: ROOT });
      if (r.status !== 0) throw new Error(`replay --jobs ${jobs} exited ${r.status ?? r.signal} on timed run ${i + 1}:\n${tail(r.stderr)}`);
      const text = readFileSync(out, 'utf8');
      reference = reference ?? text;
      if (text !== reference) throw new Error(`replay --jobs ${jobs} printed other findings than --jobs ${JOBS[0]} (timed run ${i + 1})`);
      byJobs[jobs].push({ seconds: r.seconds, rssKB: r.rssKB });
      line.push(`--jobs ${jobs} ${r.seconds.toFixed(2)} s, ${(r.rssKB / 1024).toFixed(0)} MB`);
    }
    log(`bench: run ${i + 1}/${RUNS}: ${line.join('; ')}\n`);
  }
  const replay = byJobs[JOBS[JOBS.length - 1]];
  // 4x the input, same files given four times: memory must not grow with the input.
  const out4 = join(work, 'timed-findings-4x.json');
  const r4 = runNode(replayArgs([archive, archive, archive, archive], { quiet: false }), { stdoutPath: out4, cwd: ROOT });
  const s4 = parseSummary(r4.stderr);
  const errors4 = [];
  if (r4.status !== 0) errors4.push(`4x replay exited ${r4.status ?? r4.signal}:\n${tail(r4.stderr)}`);
  else if (!s4 || s4.records !== 4 * manifest.totals.records) errors4.push(`4x replay counted ${s4?.records} records, expected ${4 * manifest.totals.records}`);
  else if (s4.findings !== findings || s4.duplicates !== 3 * findings)
    errors4.push(`4x replay: ${s4.findings} findings and ${s4.duplicates} duplicates dropped, expected ${findings} and ${3 * findings}`);
  log(`bench: 4x input: replay ${r4.seconds.toFixed(2)} s, ${(r4.rssKB / 1024).toFixed(0)} MB\n`);
  rmSync(out, { force: true });
  rmSync(out4, { force: true });
  return { zcat, replay, byJobs, x4: { seconds: r4.seconds, rssKB: r4.rssKB, summary: s4, errors: errors4 } };
}

async function replayBench({ manifest, archive, needles, log = (s) => process.stderr.write(s) }) {
  const work = join(tmpdir(), `secretwatch-bench-${process.pid}`);
  require('node:fs').mkdirSync(work, { recursive: true });
  const t = manifest.totals;
  const result = {
    records: t.records,
    bytes: t.bytes,
    files: t.files,
    gzBytes: t.gzBytes,
    seconds: null,
    zcatSeconds: null,
    ratio: null,
    peakRssMB: null,
    peakRssMB4x: null,
    seconds4x: null,
    findings: null,
    verified: false,
  };
  try {
    log('bench: verifying the replay (needles alone, then the archive)...\n');
    const v = verify({ manifest, archive, needles, work });
    result.verification = v;
    result.findings = v.findings ?? null;
    for (const w of v.warnings) log(`bench: warning: ${w}\n`);
    if (!v.ok) {
      result.error = `replay verification failed: ${v.errors.join('; ')}`;
      return result;
    }
    result.verified = true;
    const m = measure({ manifest, archive, work, log, findings: v.findings });
    const best = Math.min(...m.replay.map((r) => r.seconds));
    result.seconds = round(best);
    result.zcatSeconds = round(Math.min(...m.zcat));
    result.ratio = round(best / Math.min(...m.zcat), 2);
    result.peakRssMB = round(Math.max(...m.replay.map((r) => r.rssKB)) / 1024, 1);
    result.peakRssMB4x = round(m.x4.rssKB / 1024, 1);
    result.seconds4x = round(m.x4.seconds);
    result.mbPerSecond = round(t.bytes / 1e6 / best, 1);
    result.zcatMbPerSecond = round(t.bytes / 1e6 / Math.min(...m.zcat), 1);
    const zcatBest = Math.min(...m.zcat);
    result.jobs = JOBS[JOBS.length - 1];
    result.byJobs = Object.fromEntries(
      JOBS.map((j) => {
        const seconds = Math.min(...m.byJobs[j].map((r) => r.seconds));
        return [j, { seconds: round(seconds), ratio: round(seconds / zcatBest, 2), peakRssMB: round(Math.max(...m.byJobs[j].map((r) => r.rssKB)) / 1024, 1) }];
      }),
    );
    result.runs = {
      zcatSeconds: m.zcat.map((s) => round(s)),
      replaySeconds: m.replay.map((r) => round(r.seconds)),
      replayRssMB: m.replay.map((r) => round(r.rssKB / 1024, 1)),
      x4: {
        seconds: round(m.x4.seconds),
        rssMB: round(m.x4.rssKB / 1024, 1),
        records: m.x4.summary?.records ?? null,
        findings: m.x4.summary?.findings ?? null,
        duplicates: m.x4.summary?.duplicates ?? null,
      },
    };
    if (m.x4.errors.length) result.error = m.x4.errors.join('; ');
    result.targets = {
      ratio: { target: `<= ${TARGET_RATIO}x zcat`, pass: result.ratio <= TARGET_RATIO },
      // One replay thread's budget: each further thread is a V8 heap of its own, so memory grows
      // with the threads (a fixed amount each), never with the input, which the 4x run holds.
      peakRssMB1Job: { target: `<= ${TARGET_RSS_MB} MB`, pass: result.byJobs[1].peakRssMB <= TARGET_RSS_MB },
      peakRssMB4x: { target: `<= ${FLAT_FACTOR}x the 1x peak`, pass: result.peakRssMB4x <= result.peakRssMB * FLAT_FACTOR },
    };
    return result;
  } catch (error) {
    result.error = error.message;
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { replayBench, parseSummary, TARGET_RATIO, TARGET_RSS_MB, FLAT_FACTOR, RUNS, JOBS };
