'use strict';
// Child-process timing: wall time measured around the spawn, peak RSS from GNU time (%M) when
// /usr/bin/time exists, else from a preload that reports process.resourceUsage().maxRSS.
const { spawnSync } = require('node:child_process');
const { closeSync, existsSync, openSync } = require('node:fs');
const { join } = require('node:path');

const GNU_TIME = '/usr/bin/time';
const HAVE_GNU_TIME = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
const PEAK_RSS_PRELOAD = join(__dirname, 'peak-rss.js');
const RSS_LINE = /^BENCH_MAXRSS_KB=(\d+)\s*$/m;

/**
 * Runs a node script as a child and measures it. stdout goes to `stdoutPath` (or is captured),
 * stderr is captured (with the RSS report taken out). Returns { seconds, rssKB, status, stdout, stderr }.
 */
function runNode(args, { stdoutPath, env = process.env, cwd, timeoutMs = 600_000, nodeArgs = [] } = {}) {
  const node = process.execPath;
  const [cmd, argv] = HAVE_GNU_TIME ? [GNU_TIME, ['-f', 'BENCH_MAXRSS_KB=%M', node, ...nodeArgs, ...args]] : [node, ['-r', PEAK_RSS_PRELOAD, ...nodeArgs, ...args]];
  const out = stdoutPath ? openSync(stdoutPath, 'w') : 'pipe';
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { stdio: ['ignore', out, 'pipe'], env, cwd, timeout: timeoutMs, encoding: 'utf8', maxBuffer: 256 << 20 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.error) throw r.error;
    let stderr = r.stderr ?? '';
    const m = RSS_LINE.exec(stderr);
    const rssKB = m ? Number(m[1]) : null;
    stderr = stderr
      .replace(RSS_LINE, '')
      .replace(/^Command exited with non-zero status \d+\s*$/m, '')
      .trim();
    return { seconds, rssKB, status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr };
  } finally {
    if (typeof out === 'number') closeSync(out);
  }
}

/** Wall seconds of a command with stdout to /dev/null. */
function runToDevNull(cmd, args, { env = process.env, cwd } = {}) {
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: ['ignore', devnull, 'pipe'], env, cwd, encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.error) throw r.error;
    return { seconds, status: r.status, stderr: r.stderr };
  } finally {
    closeSync(devnull);
  }
}

/** Wall milliseconds of a short process (spawnSync, output discarded). */
function processMs(cmd, args, { env, cwd } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { ms, status: r.status, stderr: r.stderr };
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const round = (x, digits = 3) => (x == null || !Number.isFinite(x) ? x : Number(x.toFixed(digits)));

module.exports = { runNode, runToDevNull, processMs, median, round, HAVE_GNU_TIME };
