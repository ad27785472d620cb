/**
 * The parallel replay (--jobs) against the single-threaded one, through the bundled CLI as a user
 * runs it (its worker threads load dist/replay-worker.js): the same stdout and stderr, byte for
 * byte, on the sample trail, on bad input, on the same files given twice (duplicates dropped
 * across files), and on the bench archive (generated, deterministic, cached in bench/.data/); and
 * the peak memory of a replay of four times the archive within 10% of one.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_CONFIG } from '../../src/config/config';
import type { ReplayStats } from '../../src/cli/replay/engine';
import { offerEarlyWorkers, startedEarly } from '../../src/cli/replay/earlyWorkers';
import { replayInParallel } from '../../src/cli/replay/parallel';
import { Worker } from 'node:worker_threads';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'bin', 'secretwatch.js');
const TRAIL = join(ROOT, 'samples', 'trail');

jest.setTimeout(180_000);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  maxRssKB: number;
}

/** The CLI in a process of its own; its peak RSS reported by a preload as it exits. */
function cli(args: string[]): Run {
  const r = spawnSync(process.execPath, ['-r', join(ROOT, 'bench', 'peak-rss.js'), CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  const rss = /\nBENCH_MAXRSS_KB=(\d+)\n$/.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: rss ? r.stderr.slice(0, rss.index) : r.stderr, maxRssKB: Number(rss?.[1] ?? NaN) };
}

function replayed(paths: string[], jobs: number, extra: string[] = []): Run {
  return cli(['replay', ...paths, '--format', 'json', '--no-progress', '--jobs', String(jobs), ...extra]);
}

beforeAll(() => {
  // bin/secretwatch.js rebuilds a stale bundle itself; building once here keeps the runs from racing to do it.
  require(join(ROOT, 'scripts', 'build-cli.js')).buildCli();
});

describe('--jobs gives what one thread gives, byte for byte', () => {
  test('the sample trail, with 1, 2 and 5 jobs', () => {
    const one = replayed([TRAIL], 1);
    expect(one.status).toBe(0);
    expect(one.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(10);
    for (const jobs of [2, 5]) {
      const many = replayed([TRAIL], jobs);
      expect(many).toEqual({ ...one, maxRssKB: many.maxRssKB });
    }
  });

  test('bad input: the same diagnostics in the same order, the same exit code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretwatch-parallel-'));
    const good = JSON.parse(require('node:fs').readFileSync(join(ROOT, 'test/fixtures/cloudtrail/DeleteSecret/permiso-ccc-1.json'), 'utf8'));
    mkdirSync(join(dir, 'a'));
    writeFileSync(join(dir, 'a', '1-good.json.gz'), gzipSync(JSON.stringify({ Records: [good] })));
    writeFileSync(join(dir, 'a', '2-corrupt.json.gz'), Buffer.concat([gzipSync(JSON.stringify({ Records: [good] })).subarray(0, 40), Buffer.from('not gzip')]));
    writeFileSync(join(dir, 'a', '3-invalid.jsonl'), `${JSON.stringify(good)}\n{"eventSource":"secretsmanager.amazonaws.com", broken\n${JSON.stringify({ ...good, eventID: 'second' })}\n`);
    writeFileSync(join(dir, 'a', '4-good.json'), JSON.stringify({ ...good, eventID: 'fourth' }));
    const paths = [join(dir, 'a'), join(dir, 'missing.json'), join(dir, 'a', '1-good.json.gz')];
    const one = replayed(paths, 1);
    expect(one.status).toBe(3);
    expect(one.stderr).toMatch(/2-corrupt.*\n.*3-invalid.*\n.*missing\.json/);
    expect(one.stderr).toMatch(/duplicate\(s\) dropped/);
    const many = replayed(paths, 3);
    expect(many).toEqual({ ...one, maxRssKB: many.maxRssKB });
  });

  test('the bench archive, and four times it: the same findings, memory flat', async () => {
    const { ensureArchive } = require(join(ROOT, 'bench', 'generate.js'));
    const { archive } = await ensureArchive({ log: () => undefined });
    const one = replayed([archive], 1);
    expect(one.status).toBe(0);
    expect(one.stdout.split('\n').filter(Boolean).length).toBeGreaterThan(20);
    const two = replayed([archive], 2);
    expect(two).toEqual({ ...one, maxRssKB: two.maxRssKB });
    const four = replayed([archive, archive, archive, archive], 2);
    expect(four.stdout).toBe(one.stdout);
    expect(four.stderr).toMatch(/duplicate\(s\) dropped/);
    expect(four.maxRssKB).toBeLessThanOrEqual(two.maxRssKB * 1.1);
  });
});

describe('progress', () => {
  test('climbs to every compressed byte of the input, files smaller than a progress step included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretwatch-parallel-'));
    const record = JSON.parse(require('node:fs').readFileSync(join(ROOT, 'test/fixtures/cloudtrail/DeleteSecret/permiso-ccc-1.json'), 'utf8'));
    for (let n = 0; n < 6; n++) writeFileSync(join(dir, `${n}.json.gz`), gzipSync(JSON.stringify({ Records: [{ ...record, eventID: `event-${n}` }] })));
    let total = 0;
    const reported: number[] = [];
    await replayInParallel(
      [dir],
      { config: DEFAULT_CONFIG, jobs: 3, workerScript: join(ROOT, 'dist', 'replay-worker.js') },
      { finding: () => undefined, fileStarted: (_file, size) => (total += size), progress: (read) => reported.push(read) },
    );
    expect(total).toBeGreaterThan(0);
    expect(reported.at(-1)).toBe(total);
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
  });
});

describe('a worker thread that dies', () => {
  test('fails only the files it had, each reported; the others are replayed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secretwatch-parallel-'));
    const crashing = join(dir, 'crashing-worker.js');
    writeFileSync(crashing, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('worker fault'); });\n");
    const record = JSON.parse(require('node:fs').readFileSync(join(ROOT, 'test/fixtures/cloudtrail/DeleteSecret/permiso-ccc-1.json'), 'utf8'));
    const files = [1, 2, 3, 4].map((n) => {
      const path = join(dir, `${n}.json`);
      writeFileSync(path, JSON.stringify({ ...record, eventID: `event-${n}` }));
      return path;
    });
    const failed: string[] = [];
    const found: string[] = [];
    const stats: ReplayStats = await replayInParallel(
      files,
      { config: DEFAULT_CONFIG, jobs: 2, workerScript: crashing },
      { finding: (f) => found.push(f.event?.id ?? ''), fileFailed: (error) => failed.push(error.message) },
    );
    // This thread replays its share; every file the crashing workers took is reported failed.
    expect(failed.length).toBeGreaterThan(0);
    expect(found.length).toBeGreaterThan(0);
    expect(failed.length + found.length).toBe(4);
    for (const message of failed) expect(message).toMatch(/the replay of this file failed: worker fault/);
    expect(stats).toMatchObject({ files: 4, filesFailed: failed.length, findings: found.length });
  });
});

describe('worker threads started before the command line is read', () => {
  test('are told their settings, replay their share, and are all taken', async () => {
    const script = join(ROOT, 'dist', 'replay-worker.js');
    const early = [0, 1].map(() => {
      const worker = new Worker(script, { workerData: null });
      worker.unref();
      return worker;
    });
    offerEarlyWorkers(script, early);
    const one: string[] = [];
    await replayInParallel([TRAIL], { config: DEFAULT_CONFIG, jobs: 1, workerScript: script }, { finding: (f) => one.push(JSON.stringify(f)) });
    const many: string[] = [];
    const failed: string[] = [];
    const stats = await replayInParallel(
      [TRAIL],
      { config: DEFAULT_CONFIG, jobs: 3, workerScript: script },
      { finding: (f) => many.push(JSON.stringify(f)), fileFailed: (error) => failed.push(error.message) },
    );
    // A worker without its settings would fail every file it was given.
    expect(failed).toEqual([]);
    expect(stats.filesFailed).toBe(0);
    expect(many).toEqual(one);
    expect(startedEarly(script)).toBeNull();
  });
});
