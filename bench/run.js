#!/usr/bin/env node
'use strict';
// `npm run bench`: replay throughput and memory over a generated CloudTrail archive, and the size
// and load time of every packaged Lambda function. Progress goes to stderr; stdout gets a short
// table and, as its LAST line, one JSON object (the summary; bench/results/latest.json has it all).
//
//   node bench/run.js [--no-replay] [--no-policy] [--no-access] [--no-scan] [--no-scan-moto] [--no-org-scan] [--no-delivery] [--no-functions] [--regenerate]
// Exit code: 0, or 1 when the replay could not be verified (wrong findings or counts, CLI broken)
// or misbehaved while being timed.
// Missed performance targets are reported as FAIL in the table and do not change the exit code.
const { execFileSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const { ensureArchive } = require('./generate');
const { replayBench, TARGET_RATIO, TARGET_RSS_MB, FLAT_FACTOR, RUNS: REPLAY_RUNS } = require('./replay');
const { orgScanBench } = require('./org-scan');
const { functionsBench, TARGET_ZIP_BYTES, TARGET_LOAD_OVER_BARE_MS, RUNS: FN_RUNS } = require('./functions');
const { policyBench, TARGET_POLICIES_PER_SECOND, TARGET_LARGE_POLICY_MS, RUNS: POLICY_RUNS } = require('./policy');
const { accessBench, TARGET_CPU_MS: TARGET_ACCESS_CPU_MS, RUNS: ACCESS_RUNS } = require('./access');
const { scanBench, TARGET_CPU_MS_50K, RUNS: SCAN_RUNS } = require('./scan');
const { deliveryBench } = require('./delivery');
const { HAVE_GNU_TIME, round } = require('./measure');

const ROOT = join(__dirname, '..');
const RESULTS = join(__dirname, 'results');
const log = (s) => process.stderr.write(s);

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

const mark = (pass) => (pass == null ? '   -' : pass ? 'PASS' : 'FAIL');
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function row(label, value, note, target, pass) {
  return `  ${label.padEnd(20)} ${value.padStart(10)}  ${note.padEnd(42)} ${target.padEnd(22)} ${mark(pass)}`;
}

function table(report) {
  const lines = [];
  const r = report.replay;
  if (r) {
    const t = r.targets ?? {};
    lines.push(`replay: ${r.records.toLocaleString('en-US')} records, ${mb(r.bytes)} (${mb(r.gzBytes)} gzipped) in ${r.files} files; times best of ${REPLAY_RUNS}, RSS the largest`);
    if (r.verified) {
      const v = r.verification;
      lines.push(`  verified: ${r.findings} findings, the needles' own; ${v.checkFamiliesVerified.join(', ')} checks give what the needles require`);
      const pending = Object.keys(report.archive?.expectedFindings ?? {}).filter((f) => f !== 'total' && !v.checkFamiliesVerified.includes(f) && report.archive.expectedFindings[f] > 0);
      if (pending.length) lines.push(`  not verified: ${pending.map((f) => `${f} (${report.archive.expectedFindings[f]} expected)`).join(', ')}: no findings of these checks in this build yet`);
      lines.push(row('zcat (the floor)', `${r.zcatSeconds.toFixed(2)} s`, `${r.zcatMbPerSecond} MB/s`, '', null));
      for (const [jobs, j] of Object.entries(r.byJobs ?? {})) {
        if (Number(jobs) !== r.jobs) lines.push(row(`replay --jobs ${jobs}`, `${j.seconds.toFixed(2)} s`, `${j.ratio.toFixed(2)}x zcat, ${j.peakRssMB.toFixed(0)} MB`, '', null));
      }
      lines.push(row(`replay (${r.jobs} jobs, all cores)`, `${r.seconds.toFixed(2)} s`, `${r.mbPerSecond} MB/s, ${r.ratio.toFixed(2)}x zcat`, `<= ${TARGET_RATIO}x zcat`, t.ratio?.pass));
      lines.push(row('peak RSS, 1x, 1 job', `${r.byJobs[1].peakRssMB.toFixed(1)} MB`, 'one replay thread', `<= ${TARGET_RSS_MB} MB`, t.peakRssMB1Job?.pass));
      lines.push(row(`peak RSS, 1x, ${r.jobs} jobs`, `${r.peakRssMB.toFixed(1)} MB`, `${(r.peakRssMB / r.jobs).toFixed(0)} MB a thread`, '', null));
      lines.push(row('peak RSS, 4x input', `${r.peakRssMB4x.toFixed(1)} MB`, `4x the records, in ${r.seconds4x.toFixed(2)} s`, `flat: <= ${FLAT_FACTOR}x the 1x`, t.peakRssMB4x?.pass));
    }
    if (r.error) lines.push(`  ERROR: ${r.error.split('\n').join('\n         ')}`);
  }
  const o = report.orgScan;
  if (o) {
    lines.push(
      `org scan: the fanned-out central scan, simulated in process (${o.accounts ?? '-'} accounts x ${o.regions ?? '-'} regions, ${o.concurrency ?? '-'} workers at once); time modelled from each unit's calls`,
    );
    if (o.verified) {
      lines.push(row('units', `${o.units}`, `at most ${o.maxInFlight} at once; ${o.deadLettered} dead-lettered`, '', null));
      lines.push(row('calls', `${o.calls.AssumeRole}`, `AssumeRole; ${o.calls.ListSecrets} ListSecrets`, '', null));
      lines.push(row('modelled time', `${o.modelledMinutes} min`, `3 secrets a unit`, '', null));
      const big = o.organization500x4;
      lines.push(row('modelled, 500x4', `${big.minutes} min`, `${big.units} units of ${big.secretsPerUnit} secrets, ${big.unitSeconds} s each`, '', null));
    }
    if (o.error) lines.push(`  ERROR: ${o.error}`);
  }
  const a = report.access;
  if (a) {
    lines.push(`access: who can read one secret (src/access), CPU of the first answer in a fresh process; median of ${ACCESS_RUNS} more`);
    if (a.verified) {
      lines.push(
        row(
          `${a.roles.toLocaleString('en-US')} roles`,
          `${a.firstCpuMs} ms`,
          `${a.policies.toLocaleString('en-US')} policies, ${a.readers} readers verified; then ${a.cpuMs} ms`,
          `< ${TARGET_ACCESS_CPU_MS} ms CPU`,
          a.targets?.firstCpuMs?.pass,
        ),
      );
    } else lines.push(`  ERROR: ${a.error}`);
  }
  const d = report.delivery;
  if (d?.before) {
    lines.push(`delivery: ${d.events.toLocaleString('en-US')} force-deletion events through the event handler in one process against moto_server`);
    lines.push(row('before (no ledger)', `${d.before.eventsPerSecond}/s`, `p50 ${d.before.p50Ms} ms, p99 ${d.before.p99Ms} ms`, '', null));
    lines.push(row('after (ledger)', `${d.after.eventsPerSecond}/s`, `p50 ${d.after.p50Ms} ms, p99 ${d.after.p99Ms} ms`, '', null));
    lines.push(row('ledger per event', `${d.ledgerCostMsPerEvent} ms`, `${d.ledgerCallsPerEvent} DynamoDB calls, ${d.throughputRatio}x the throughput`, '', null));
  } else if (d) lines.push(`delivery: ${d.skipped ?? `ERROR: ${d.error}`}`);
  const p = report.policy;
  if (p) {
    lines.push(`policy: resource- and identity-policy analysis (src/policy), each policy as CloudTrail's JSON text; medians of ${POLICY_RUNS} runs`);
    if (p.verified) {
      lines.push(
        row(
          'corpus',
          `${p.policiesPerSecond.toLocaleString('en-US')}/s`,
          `${p.corpusSize} policies, ${(p.corpusBytes / 1000).toFixed(1)} KB, verdicts verified`,
          `> ${TARGET_POLICIES_PER_SECOND.toLocaleString('en-US')}/s`,
          p.targets?.policiesPerSecond?.pass,
        ),
      );
      lines.push(
        row(
          'identity policies',
          `${p.identityPoliciesPerSecond.toLocaleString('en-US')}/s`,
          `${p.identityManaged} AWS managed + ${p.identityGenerated} generated, vs every secret`,
          `> ${TARGET_POLICIES_PER_SECOND.toLocaleString('en-US')}/s`,
          p.targets?.identityPoliciesPerSecond?.pass,
        ),
      );
      lines.push(
        row(
          `${(p.largePolicyStatements - 1).toLocaleString('en-US')} statements`,
          `${p.largePolicyMs} ms`,
          `${(p.largePolicyChars / 1e6).toFixed(1)} MB; first (cold) run ${p.largePolicyFirstMs} ms`,
          `< ${TARGET_LARGE_POLICY_MS} ms`,
          p.targets?.largePolicyMs?.pass,
        ),
      );
    }
    if (p.error) lines.push(`  ERROR: ${p.error}`);
  }
  const sc = report.scan;
  if (sc) {
    lines.push(`scan: the inventory scan; in-process fake of ListSecrets (CPU, best of ${SCAN_RUNS} after a warm-up), and secretwatch scan against moto_server (wall)`);
    for (const key of ['n10k', 'n50k']) {
      const s = sc[key];
      if (!s) continue;
      const calls = `${s.listSecretsCalls} ListSecrets + ${s.versionCalls} look-ups${s.verified ? ', as required' : ' (WRONG)'}`;
      lines.push(
        row(
          `${s.secrets.toLocaleString('en-US')} in-process`,
          `${s.cpuMs} ms`,
          `${calls}; ${s.findings.toLocaleString('en-US')} findings`,
          key === 'n50k' ? `< ${TARGET_CPU_MS_50K} ms CPU` : '',
          key === 'n50k' ? sc.targets?.cpuMs50k?.pass : null,
        ),
      );
    }
    const m = sc.moto10k;
    if (m?.secrets)
      lines.push(
        row(
          '10,000 moto_server',
          `${m.seconds.toFixed(2)} s`,
          `${m.calls.ListSecrets} ListSecrets + ${m.calls.ListSecretVersionIds} look-ups${m.verified ? ', as required' : ' (WRONG)'}`,
          'exact calls',
          m.verified,
        ),
      );
    else if (m?.skipped) lines.push(`  moto_server part skipped: ${m.skipped}`);
    for (const e of [sc.n10k?.error, sc.n50k?.error, m?.error].filter(Boolean)) lines.push(`  ERROR: ${e}`);
    if (sc.error) lines.push(`  ERROR: ${sc.error}`);
  }
  if (report.functions) {
    lines.push(`functions: node -e 0 takes ${report.bareNodeMs ?? '-'} ms; load = a node process requiring the handler; medians of ${FN_RUNS}`);
    for (const [name, f] of Object.entries(report.functions)) {
      lines.push(
        row(
          `${name} zip`,
          f.zipBytes == null ? '-' : `${(f.zipBytes / 1000).toFixed(1)} KB`,
          f.unzippedBytes ? `${(f.unzippedBytes / 1000).toFixed(0)} KB unzipped` : '',
          `<= ${TARGET_ZIP_BYTES / 1000} KB`,
          f.targets?.zipBytes?.pass,
        ),
      );
      lines.push(
        row(
          `${name} load`,
          f.loadMs == null ? '-' : `${f.loadMs} ms`,
          f.loadMs == null ? '' : `+${f.loadOverBareMs} ms over bare; require() ${f.requireMs} ms`,
          `<= +${TARGET_LOAD_OVER_BARE_MS} ms`,
          f.targets?.loadOverBareMs?.pass,
        ),
      );
      if (f.error) lines.push(`    ERROR: ${f.error}`);
    }
    if (report.package?.source && !report.package.source.includes('fresh')) lines.push(`  (zips from ${report.package.source})`);
    if (report.functionsError) lines.push(`  ERROR: ${report.functionsError.split('\n').slice(0, 6).join('\n         ')}`);
  }
  return lines.join('\n');
}

/** The last line: the figures, without the per-run detail. */
function summaryLine(report) {
  const out = {};
  if (report.replay) {
    const r = report.replay;
    out.replay = {
      records: r.records,
      bytes: r.bytes,
      seconds: r.seconds,
      zcatSeconds: r.zcatSeconds,
      peakRssMB: r.peakRssMB,
      ratio: r.ratio,
      jobs: r.jobs,
      byJobs: r.byJobs,
      peakRssMB4x: r.peakRssMB4x,
      seconds4x: r.seconds4x,
      files: r.files,
      findings: r.findings,
      verified: r.verified,
      ...(r.error ? { error: r.error.split('\n')[0] } : {}),
    };
  }
  if (report.policy) {
    const p = report.policy;
    out.policy = p.verified
      ? {
          policiesPerSecond: p.policiesPerSecond,
          identityPoliciesPerSecond: p.identityPoliciesPerSecond,
          corpusSize: p.corpusSize,
          largePolicyMs: p.largePolicyMs,
          largePolicyFirstMs: p.largePolicyFirstMs,
          largePolicyStatements: p.largePolicyStatements,
          verified: true,
        }
      : { verified: false, error: p.error };
  }
  if (report.access) {
    const a = report.access;
    out.access = a.verified ? { roles: a.roles, policies: a.policies, readers: a.readers, firstCpuMs: a.firstCpuMs, cpuMs: a.cpuMs, verified: true } : { verified: false, error: a.error };
  }
  if (report.scan) {
    const sc = report.scan;
    const part = (s) => (s ? { cpuMs: s.cpuMs, listSecretsCalls: s.listSecretsCalls, versionCalls: s.versionCalls, findings: s.findings, verified: s.verified } : undefined);
    out.scan = sc.error
      ? { verified: false, error: sc.error }
      : {
          n10k: part(sc.n10k),
          n50k: part(sc.n50k),
          ...(sc.moto10k?.secrets ? { moto10k: { seconds: sc.moto10k.seconds, calls: sc.moto10k.calls, verified: sc.moto10k.verified } } : sc.moto10k ? { moto10k: sc.moto10k } : {}),
          verified: sc.verified,
        };
  }
  if (report.orgScan) {
    const o = report.orgScan;
    out.orgScan = o.verified
      ? { units: o.units, maxInFlight: o.maxInFlight, concurrency: o.concurrency, calls: o.calls, modelledMinutes: o.modelledMinutes, organization500x4: o.organization500x4, verified: true }
      : { verified: false, error: o.error };
  }
  if (report.delivery) out.delivery = report.delivery;
  if (report.functions) {
    out.functions = Object.fromEntries(
      Object.entries(report.functions).map(([name, f]) => [name, { zipBytes: f.zipBytes, loadMs: f.loadMs, requireMs: f.requireMs ?? null, ...(f.error ? { error: f.error } : {}) }]),
    );
    out.bareNodeMs = report.bareNodeMs;
    if (report.functionsError) out.functionsError = report.functionsError.split('\n')[0];
  }
  const passes = [];
  if (report.replay?.targets) passes.push(...Object.values(report.replay.targets).map((t) => t.pass));
  for (const f of Object.values(report.functions ?? {})) if (f.targets) passes.push(...Object.values(f.targets).map((t) => t.pass));
  if (report.policy?.targets) passes.push(...Object.values(report.policy.targets).map((t) => t.pass));
  if (report.access?.targets) passes.push(...Object.values(report.access.targets).map((t) => t.pass));
  if (report.scan?.targets) passes.push(...Object.values(report.scan.targets).map((t) => t.pass));
  out.targetsMet = passes.length ? passes.every(Boolean) : null;
  return JSON.stringify(out);
}

async function main(argv) {
  const flags = new Set(argv);
  const started = new Date();
  const report = {
    startedAt: started.toISOString(),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadAverageBefore: os.loadavg().map((x) => round(x, 2)),
      peakRssFrom: HAVE_GNU_TIME ? '/usr/bin/time -f %M' : 'process.resourceUsage().maxRSS preload',
    },
    git: { head: git(['rev-parse', '--short', 'HEAD']), dirtyFiles: (git(['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length },
  };
  let failed = false;

  if (!flags.has('--no-replay')) {
    const archive = await ensureArchive({ force: flags.has('--regenerate'), log });
    report.archive = {
      generated: archive.generated,
      key: archive.manifest.key,
      ...archive.manifest.totals,
      expectedFindings: archive.manifest.expectedFindings,
      generationSeconds: round(archive.manifest.generationSeconds, 1),
      params: archive.manifest.params,
    };
    report.replay = await replayBench({ manifest: archive.manifest, archive: archive.archive, needles: archive.needles, log });
    if (report.replay.verified && report.replay.error) {
      failed = true;
      log(`\nbench: REPLAY ERROR: ${report.replay.error}\n\n`);
    }
    if (!report.replay.verified) {
      failed = true;
      log(
        `\nbench: REPLAY NOT VERIFIED: the timings would be meaningless, so none were taken.\n${(report.replay.verification?.errors ?? [report.replay.error]).map((e) => `  - ${e}`).join('\n')}\n\n`,
      );
    }
  }
  if (!flags.has('--no-policy')) {
    report.policy = policyBench({ log });
    if (!report.policy.verified) {
      failed = true;
      log(`\nbench: POLICY ANALYSIS NOT VERIFIED: ${report.policy.error}\n\n`);
    }
  }
  if (!flags.has('--no-access')) {
    report.access = accessBench({ log });
    if (!report.access.verified) {
      failed = true;
      log(`\nbench: EFFECTIVE ACCESS NOT VERIFIED: ${report.access.error}\n\n`);
    }
  }
  if (!flags.has('--no-scan')) {
    try {
      report.scan = await scanBench({ log, moto: !flags.has('--no-scan-moto') });
    } catch (error) {
      report.scan = {
        verified: false,
        error: String(error.message ?? error)
          .split('\n')
          .slice(0, 4)
          .join(' | '),
      };
    }
    if (!report.scan.verified) {
      failed = true;
      log(`\nbench: SCAN NOT VERIFIED: ${report.scan.error ?? [report.scan.n10k?.error, report.scan.n50k?.error, report.scan.moto10k?.error].filter(Boolean).join('; ')}\n\n`);
    }
  }
  if (!flags.has('--no-org-scan')) {
    report.orgScan = orgScanBench({ log });
    if (!report.orgScan.verified) {
      failed = true;
      log(`\nbench: ORGANIZATION SCAN NOT VERIFIED: ${report.orgScan.error}\n\n`);
    }
  }
  if (!flags.has('--no-delivery')) {
    try {
      report.delivery = await deliveryBench({ log });
    } catch (error) {
      report.delivery = {
        verified: false,
        error: String(error.message ?? error)
          .split('\n')
          .slice(0, 4)
          .join(' | '),
      };
    }
    if (report.delivery.verified === false) {
      failed = true;
      log(`\nbench: DELIVERY NOT VERIFIED: ${report.delivery.error}\n\n`);
    }
  }
  if (!flags.has('--no-functions')) Object.assign(report, await functionsBench({ log }));

  report.machine.loadAverageAfter = os.loadavg().map((x) => round(x, 2));
  report.seconds = round((Date.now() - started.getTime()) / 1000, 1);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${table(report)}\n(full report: bench/results/latest.json)\n${summaryLine(report)}\n`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`bench: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
