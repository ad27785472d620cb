// The fanned-out central scan of 1,000 accounts in 4 regions, simulated in process (the test's
// simulation: real coordinator, workers and assembling step over fakes of SQS, STS and Secrets
// Manager); prints one JSON line with the units, the concurrency seen and each unit's calls.
import { memberAccount, simulateFanOut } from '../test/helpers/fanOutSimulation';

async function main(): Promise<void> {
  const [accounts, concurrency] = process.argv.slice(2).map(Number);
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'eu-central-1'];
  const started = process.hrtime.bigint();
  const r = await simulateFanOut({
    accounts,
    regions,
    secretsPerAccount: 3,
    concurrency,
    denied: new Set([memberAccount(7)]),
    failing: new Set([`${memberAccount(42)}#eu-west-1`]),
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const assembled = r.assembled.status === 'completed' ? r.assembled : null;
  process.stdout.write(
    `${JSON.stringify({
      accounts,
      regions: regions.length,
      concurrency,
      units: r.enqueued,
      deliveries: r.deliveries,
      deadLettered: r.deadLettered,
      maxInFlight: r.maxInFlight,
      assumeRoleCalls: r.assumeRoleCalls,
      listSecretsCalls: r.listSecretsCalls,
      versionCalls: r.versionCalls,
      triggers: r.triggers,
      assembled: assembled && { accounts: assembled.accounts?.length, secrets: assembled.secrets, findings: assembled.findings },
      digestAccounts: JSON.parse(JSON.parse(r.digests[0]).default).accounts,
      unitCalls: r.unitCalls.map((u) => [u.assumeRole, u.listSecrets, u.listSecretVersionIds]),
      wallMs,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
