/**
 * The scan over an in-process fake of ListSecrets / ListSecretVersionIds (no network): what the
 * inventoryScan function computes, from the SDK's parsing of the pages to the digest and gauges,
 * timed in CPU. Run by bench/scan.js, bundled by esbuild: `scan-inprocess.js N RUNS`; prints one
 * JSON line.
 */
import { DEFAULT_CONFIG } from '../src/config/config';
import { scanGauges } from '../src/delivery/scanMetrics';
import { buildDigest, isNewInWindow, scanWindow } from '../src/findings/digest';
import { createInventoryClient } from '../src/inventory/client';
import { runScan } from '../src/runtime/scan';
import { FakeSecretsManager } from '../test/helpers/fakeSecretsManager';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inventory } = require('./scan-inventory') as { inventory: (n: number, now: number) => { secrets: never[]; versionDates: Map<string, number>; lookups: number } };

const NOW = new Date('2024-06-03T06:00:00Z');

async function main(n: number, runs: number) {
  const { secrets, versionDates, lookups } = inventory(n, NOW.getTime() / 1000);
  const fake = new FakeSecretsManager(secrets, { currentVersionDates: versionDates });
  const config = { ...DEFAULT_CONFIG, requireCustomerManagedKey: true };
  const results = [];
  // The first run also serialises the fake's pages and warms the JIT; the later ones are timed.
  for (let run = 0; run <= runs; run++) {
    const inventoryClient = createInventoryClient({
      region: 'us-east-1',
      requestHandler: fake.handler as never,
      credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
      // Only CPU is measured here: the limiter's waits would be idle time.
      rateLimits: { ListSecrets: 1e9, ListSecretVersionIds: 1e9 },
    });
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await runScan(inventoryClient, { config, now: NOW });
    const window = scanWindow(NOW, config.scanIntervalHours);
    const fresh = result.evaluation.findings.filter((f) => isNewInWindow(f, window));
    const digest = buildDigest({
      findings: result.evaluation.findings,
      newFindings: new Set(fresh),
      scope: 'full',
      secrets: n,
      account: result.account,
      region: result.region,
      window,
      notifyMinSeverity: 'LOW',
    });
    const gauges = scanGauges(result.evaluation.counts, NOW);
    const used = process.cpuUsage(cpu);
    inventoryClient.client.destroy();
    results.push({
      cpuMs: (used.user + used.system) / 1000,
      wallMs: Number(process.hrtime.bigint() - started) / 1e6,
      calls: result.calls,
      findings: result.evaluation.findings.length,
      byCheck: result.evaluation.counts.byCheck,
      digestEntries: digest.entries.length,
      gauges: gauges.length,
    });
  }
  const timed = results.slice(1);
  const best = timed.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
  process.stdout.write(
    `${JSON.stringify({ n, runs, cpuMs: best.cpuMs, cpuMsRuns: timed.map((r) => Math.round(r.cpuMs)), wallMs: best.wallMs, calls: best.calls, expectedLookups: lookups, findings: best.findings, byCheck: best.byCheck, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

main(Number(process.argv[2]), Number(process.argv[3] ?? 3)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
