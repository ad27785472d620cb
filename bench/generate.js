'use strict';
// Generates (once, then cached under bench/.data/) a CloudTrail archive as CloudTrail writes it to
// S3: AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<ts>_<rand>.json.gz,
// each file one line of compact JSON {"Records":[...]}, a few MB uncompressed. About 1 record in
// 1,000 is a Secrets Manager record (needles.js); the rest are other services' (haystack.js).
// Deterministic: every file has its own generator seeded from (seed, file number), so the bytes do
// not depend on how many files are written at once. The cache is keyed by a hash of the parameters,
// the generator's source and the fixtures it reads; any change regenerates.
//
//   node bench/generate.js [--force]     prints the manifest summary
const { createHash } = require('node:crypto');
const { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { once } = require('node:events');
const { createGzip } = require('node:zlib');
const { Rng } = require('./prng');
const { buildWorld, haystackRecord, REGIONS } = require('./haystack');
const { needleTemplates, makeNeedle, expectedFindings } = require('./needles');

const PARAMS = {
  format: 3,
  seed: 'secretwatch-bench-1',
  /** Uncompressed bytes: at least this many (200 MiB is 209.7 MB). */
  targetBytes: 230_000_000,
  /** Each file's uncompressed size is drawn uniformly from this range. */
  fileBytes: [1_500_000, 6_000_000],
  /** Each file covers this much time, records spread evenly through it. */
  fileMinutes: 5,
  needleRate: 1 / 1000,
  start: '2024-03-11T00:00:00Z',
  gzipLevel: 6,
  /** Files written at once (the generator's own thread plus zlib's pool threads). */
  concurrency: 2,
};

const DATA = join(__dirname, '.data');
const ARCHIVE = join(DATA, 'cloudtrail');
const NEEDLES = join(DATA, 'needles.json');
const MANIFEST = join(DATA, 'manifest.json');
const SOURCES = ['prng.js', 'haystack.js', 'needles.js', 'generate.js'];

function cacheKey(templates) {
  const h = createHash('sha256');
  h.update(JSON.stringify(PARAMS));
  for (const f of SOURCES) h.update(readFileSync(join(__dirname, f)));
  h.update(JSON.stringify(templates));
  return h.digest('hex').slice(0, 16);
}

const pad = (n, w = 2) => String(n).padStart(w, '0');

/** The file list: who, where, when, how big. */
function planFiles(world) {
  const rng = new Rng(`${PARAMS.seed}/plan`);
  const files = [];
  let total = 0;
  let time = Date.parse(PARAMS.start);
  while (total < PARAMS.targetBytes) {
    const account = rng.pick(world.accounts);
    const region = rng.weighted(REGIONS);
    const bytes = rng.int(PARAMS.fileBytes[0], PARAMS.fileBytes[1]);
    const d = new Date(time);
    const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
    const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
    const name = `${account.id}_CloudTrail_${region}_${stamp}_${rng.alnum(16)}.json.gz`;
    files.push({ index: files.length, account, region, time, bytes, path: `AWSLogs/${account.id}/CloudTrail/${region}/${day}/${name}` });
    total += bytes;
    time += rng.int(2, 9) * 60_000;
  }
  return files;
}

/** Writes one file; returns its counts and its needles (JSON text, in order). */
async function writeFile(root, plan, templates, stats) {
  const rng = new Rng(`${PARAMS.seed}/file/${plan.index}`);
  const path = join(root, plan.path);
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  const gzip = createGzip({ level: PARAMS.gzipLevel });
  gzip.pipe(out);
  const done = once(out, 'close');
  const ctx = { account: plan.account, region: plan.region, time: plan.time };
  const step = (PARAMS.fileMinutes * 60_000) / (plan.bytes / 1700);
  const needles = [];
  let bytes = 0;
  let records = 0;
  let decoys = 0;
  let batch = '{"Records":[';
  const flush = async () => {
    bytes += Buffer.byteLength(batch);
    if (!gzip.write(batch)) await once(gzip, 'drain');
    batch = '';
  };
  while (bytes + batch.length < plan.bytes) {
    ctx.time = Math.floor(plan.time + records * step + rng.next() * step);
    let text;
    if (rng.chance(PARAMS.needleRate)) {
      const template = rng.weighted(templates.map((t) => [t, t.weight]));
      const record = makeNeedle(template, ctx, plan.index * 100_000 + needles.length, rng);
      text = JSON.stringify(record);
      needles.push({ text, source: template.source, expected: expectedFindings(record, template.source), eventID: record.eventID });
    } else {
      text = haystackRecord(ctx, rng);
      if (text.includes('secretsmanager')) decoys++;
    }
    batch += records ? `,${text}` : text;
    records++;
    if (batch.length >= 1 << 20) await flush();
  }
  batch += ']}';
  await flush();
  gzip.end();
  await done;
  const gzBytes = statSync(path).size;
  stats.done++;
  stats.bytes += bytes;
  if (process.stderr.isTTY) process.stderr.write(`\rbench: generating CloudTrail archive: ${stats.done}/${stats.files} files, ${(stats.bytes / 1e6).toFixed(0)} MB`);
  return { path: plan.path, records, needles, decoys, bytes, gzBytes };
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return null;
  }
}

/** The cache is good when its key matches and every file is there at the size it was written. */
function cacheIsValid(manifest, key) {
  if (!manifest || manifest.key !== key || !existsSync(NEEDLES)) return false;
  return manifest.files.every((f) => {
    try {
      return statSync(join(ARCHIVE, f.path)).size === f.gzBytes;
    } catch {
      return false;
    }
  });
}

async function generate(key, templates) {
  const t0 = process.hrtime.bigint();
  const world = buildWorld(PARAMS.seed);
  const plans = planFiles(world);
  const tmp = join(DATA, `tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const root = join(tmp, 'cloudtrail');
  const results = new Array(plans.length);
  const stats = { done: 0, files: plans.length, bytes: 0 };
  let next = 0;
  const worker = async () => {
    while (next < plans.length) {
      const plan = plans[next++];
      results[plan.index] = await writeFile(root, plan, templates, stats);
    }
  };
  try {
    await Promise.all(Array.from({ length: PARAMS.concurrency }, worker));
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  if (process.stderr.isTTY) process.stderr.write('\n');

  const needles = results.flatMap((r) => r.needles);
  const ids = new Set(needles.map((n) => n.eventID));
  if (ids.size !== needles.length) throw new Error('bench: generator produced duplicate needle eventIDs');
  writeFileSync(join(tmp, 'needles.json'), `{"Records":[${needles.map((n) => n.text).join(',')}]}`);

  // Per check family, as needles.js counts them (the registry's families).
  const expected = {};
  const bySource = {};
  const byEventName = {};
  for (const n of needles) {
    for (const [k, count] of Object.entries(n.expected)) expected[k] = (expected[k] ?? 0) + count;
    bySource[n.source] = (bySource[n.source] ?? 0) + 1;
    const name = JSON.parse(n.text).eventName;
    byEventName[name] = (byEventName[name] ?? 0) + 1;
  }
  const sum = (k) => results.reduce((a, r) => a + r[k], 0);
  const manifest = {
    key,
    params: PARAMS,
    generatedAt: new Date().toISOString(),
    generationSeconds: Number(process.hrtime.bigint() - t0) / 1e9,
    totals: {
      files: results.length,
      records: sum('records'),
      bytes: sum('bytes'),
      gzBytes: sum('gzBytes'),
      needles: needles.length,
      /** Other services' records that contain "secretsmanager" (parsed by the replay, matched by no rule). */
      decoys: sum('decoys'),
    },
    /** Findings the needles must give, per check family. */
    expectedFindings: { ...expected, total: Object.values(expected).reduce((a, b) => a + b, 0) },
    needlesByEventName: byEventName,
    needlesBySource: bySource,
    files: results.map(({ path, records, needles: n, decoys, bytes, gzBytes }) => ({ path, records, needles: n.length, decoys, bytes, gzBytes })),
  };
  writeFileSync(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);

  // Swap in atomically enough: the manifest goes last, so a half-written cache is never valid.
  rmSync(MANIFEST, { force: true });
  rmSync(ARCHIVE, { recursive: true, force: true });
  rmSync(NEEDLES, { force: true });
  renameSync(root, ARCHIVE);
  renameSync(join(tmp, 'needles.json'), NEEDLES);
  renameSync(join(tmp, 'manifest.json'), MANIFEST);
  rmSync(tmp, { recursive: true, force: true });
  return manifest;
}

/** tmp-<pid> directories of generator runs that died half-way (their process is gone). */
function removeAbandonedTmp() {
  for (const name of readdirSync(DATA)) {
    const m = /^tmp-(\d+)$/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
      continue; // still running (another bench)
    } catch (error) {
      if (error.code === 'EPERM') continue;
    }
    rmSync(join(DATA, name), { recursive: true, force: true });
  }
}

/** The archive's manifest, generating the archive first if the cache is missing or stale. */
async function ensureArchive({ force = false, log = (s) => process.stderr.write(s) } = {}) {
  mkdirSync(DATA, { recursive: true });
  removeAbandonedTmp();
  const templates = needleTemplates();
  const key = cacheKey(templates);
  const cached = readManifest();
  if (!force && cacheIsValid(cached, key)) return { manifest: cached, generated: false, archive: ARCHIVE, needles: NEEDLES };
  log(`bench: generating the CloudTrail archive (${(PARAMS.targetBytes / 1e6).toFixed(0)} MB, cached in bench/.data/ afterwards)...\n`);
  const manifest = await generate(key, templates);
  log(
    `bench: generated ${manifest.totals.files} files, ${manifest.totals.records} records, ${(manifest.totals.bytes / 1e6).toFixed(1)} MB (${(manifest.totals.gzBytes / 1e6).toFixed(1)} MB gzipped) in ${manifest.generationSeconds.toFixed(1)} s\n`,
  );
  return { manifest, generated: true, archive: ARCHIVE, needles: NEEDLES };
}

module.exports = { ensureArchive, PARAMS, ARCHIVE, NEEDLES, MANIFEST };

if (require.main === module) {
  ensureArchive({ force: process.argv.includes('--force') }).then(
    ({ manifest, generated }) => {
      const { files, ...rest } = manifest;
      console.log(JSON.stringify({ generated, ...rest, files: files.length }, null, 1));
    },
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
