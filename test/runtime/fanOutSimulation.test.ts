/**
 * The fanned-out central scan of an organization of 1,000 member accounts in 4 regions, simulated
 * in process (test/helpers/fanOutSimulation.ts): every unit queued once and scanned, never more
 * scan workers at once than the event source allows, the calls each unit costs and no more, units
 * that cannot be scanned reported, and one assembling step whose digest and gauges count them all.
 */
import { simulateFanOut, memberAccount, CENTRAL_ACCOUNT } from '../helpers/fanOutSimulation';

jest.setTimeout(240_000);

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'eu-central-1'];
const ACCOUNTS = 1000;
const SECRETS = 3;
const CONCURRENCY = 20;

test('1,000 accounts x 4 regions: units, concurrency, calls and the assembled report', async () => {
  const denied = new Set([memberAccount(7), memberAccount(500)]);
  const failing = new Set([`${memberAccount(42)}#eu-west-1`]);
  const r = await simulateFanOut({ accounts: ACCOUNTS, regions: REGIONS, secretsPerAccount: SECRETS, concurrency: CONCURRENCY, denied, failing });

  // Every member account in every region, and the central account in its 3 other regions; its own region it scans itself.
  const units = ACCOUNTS * REGIONS.length + (REGIONS.length - 1);
  expect(r.enqueued).toBe(units);
  expect(r.coordinator).toMatchObject({ status: 'fanned-out', units: units + 1, queued: units, resumed: false });
  expect(r.maxInFlight).toBeLessThanOrEqual(CONCURRENCY);
  expect(r.maxInFlight).toBeGreaterThan(1);

  // One AssumeRole per attempt: the failing unit was tried 3 times, then dead-lettered (no AssumeRole then).
  expect(r.assumeRoleCalls).toBe(units + 2);
  expect(r.deadLettered).toBe(1);
  expect(r.deliveries).toBe(units + 2 + 1);
  // One ListSecrets page per reachable account and region and attempt (3 secrets), the central account's own included.
  const reachable = units - denied.size * REGIONS.length;
  expect(r.listSecretsCalls).toBe(reachable + 2 + 1);
  // Nothing looks overdue: no version look-up.
  expect(r.versionCalls).toBe(0);
  expect(r.triggers).toBe(1);

  const scanned = reachable - 1;
  expect(r.assembled).toMatchObject({ status: 'completed', scannedAt: '2026-06-01T06:00:00.000Z' });
  if (r.assembled.status !== 'completed') return;
  expect(r.assembled.secrets).toBe((scanned + 1) * SECRETS);
  // Rotation off on one secret in every 2 (indices 1 of 3): one rotation-not-enabled per scanned unit.
  const unreachable = denied.size * REGIONS.length + failing.size;
  expect(r.assembled.findings).toBe(scanned + 1 + unreachable);
  expect(r.assembled.calls.ListSecrets).toBe(scanned + 1);
  expect(r.assembled.accounts).toHaveLength(units);
  const notScanned = (r.assembled.accounts ?? []).filter((a) => a.status === 'unreachable');
  expect(notScanned.map((a) => `${a.account}#${a.region} ${a.step}`).sort()).toEqual(
    [...[...denied].flatMap((a) => REGIONS.map((region) => `${a}#${region} AssumeRole`)), `${memberAccount(42)}#eu-west-1 ScanWorker`].sort(),
  );
  // The digest covers the central account and every member, each once whatever its regions.
  expect(r.digests).toHaveLength(1);
  const digest = JSON.parse(JSON.parse(r.digests[0]).default);
  expect({ account: digest.account, accounts: digest.accounts, secrets: digest.secrets, findings: digest.findings, newFindings: digest.newFindings }).toEqual({
    account: CENTRAL_ACCOUNT,
    accounts: ACCOUNTS + 1,
    secrets: (scanned + 1) * SECRETS,
    findings: scanned + 1 + unreachable,
    // The unreachable units are news in every scan.
    newFindings: unreachable,
  });
});
