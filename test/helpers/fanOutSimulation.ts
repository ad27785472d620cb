/**
 * A fanned-out central scan run in process: the real coordinator, scan workers and assembling step
 * (handleInventoryScan, handleScanUnits) over fakes of what AWS runs for them: an SQS queue with a
 * dead-letter queue after maxReceiveCount receives and a Lambda event source that runs at most
 * `concurrency` workers at once; STS answering AssumeRole for any account but the denied ones; one
 * in-process Secrets Manager per account and region (FakeSecretsManager, reached through the SDK's
 * request handler, so that the real client, middleware and rate limiters run); the delivery clients
 * mocked. Used by the simulation test and by the benchmark (modelled time).
 */
import type { SQSEvent } from 'aws-lambda';
import type { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config';
import { silentLog } from '../../src/delivery/log';
import { createInventoryClient } from '../../src/inventory/client';
import type { CentralScanDeps } from '../../src/runtime/centralScan';
import type { FanOutDeps } from '../../src/runtime/fanOut/coordinator';
import type { ScanUnit } from '../../src/runtime/fanOut/units';
import { unitKey } from '../../src/runtime/fanOut/units';
import { handleScanUnits } from '../../src/runtime/fanOut/worker';
import { handleInventoryScan, type InventoryScanResult } from '../../src/runtime/inventoryScan';
import { mockDeliveryClients } from './deliveryMocks';
import { FakeSecretsManager, type FakeSecret } from './fakeSecretsManager';
import { MemoryScanRunStore } from './memoryScanRunStore';

export const CENTRAL_ACCOUNT = '100000000000';
const DAY_S = 86_400;
const DLQ_ARN = 'arn:aws:sqs:us-east-1:100000000000:secretwatch-sim-scan-units-dlq';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:100000000000:secretwatch-sim-scan-units';

export interface SimulationOptions {
  accounts: number;
  /** The first is the central function's own region. */
  regions: string[];
  secretsPerAccount: number;
  /** Scan workers at once (the event source's maximum concurrency). */
  concurrency: number;
  /** Accounts whose scan role cannot be assumed. */
  denied?: ReadonlySet<string>;
  /** Units (unitKey) whose storing fails on every attempt: they go to the dead-letter queue. */
  failing?: ReadonlySet<string>;
  maxReceiveCount?: number;
  now?: Date;
}

export interface UnitCalls {
  key: string;
  assumeRole: number;
  listSecrets: number;
  listSecretVersionIds: number;
}

export interface SimulationReport {
  run: string;
  coordinator: InventoryScanResult;
  assembled: InventoryScanResult;
  enqueued: number;
  /** Worker invocations (each one message), first attempts, retries and dead letters. */
  deliveries: number;
  deadLettered: number;
  /** The most units whose AWS calls were in flight at once. */
  maxInFlight: number;
  assumeRoleCalls: number;
  listSecretsCalls: number;
  versionCalls: number;
  triggers: number;
  /** Per unit, its calls over every attempt: what the modelled time is computed from. */
  unitCalls: UnitCalls[];
  digests: string[];
}

export function memberAccount(i: number): string {
  return String(200000000000 + i);
}

/** An account's secrets in a region: half rotating on schedule, half without rotation (rotation-not-enabled). */
function secretsOf(account: string, region: string, count: number, nowS: number): FakeSecret[] {
  return Array.from({ length: count }, (_, i) => ({
    ARN: `arn:aws:secretsmanager:${region}:${account}:secret:app/s${i}-AbCdEf`,
    Name: `app/s${i}`,
    CreatedDate: nowS - 30 * DAY_S,
    LastChangedDate: nowS - 5 * DAY_S,
    LastAccessedDate: nowS - DAY_S,
    ...(i % 2 === 0 ? { RotationEnabled: true, LastRotatedDate: nowS - 5 * DAY_S, NextRotationDate: nowS + 25 * DAY_S, RotationRules: { AutomaticallyAfterDays: 30 } } : {}),
  }));
}

export async function simulateFanOut(options: SimulationOptions): Promise<SimulationReport> {
  const now = options.now ?? new Date('2026-06-01T06:00:00Z');
  const nowS = Math.floor(now.getTime() / 1000);
  const [ownRegion, ...otherRegions] = options.regions;
  const maxReceiveCount = options.maxReceiveCount ?? 3;
  const config: Config = {
    ...DEFAULT_CONFIG,
    alertTopicArn: 'arn:aws:sns:us-east-1:100000000000:alerts',
    scanAccounts: Array.from({ length: options.accounts }, (_, i) => memberAccount(i)),
    scanRegions: options.regions,
  };

  // Secrets Manager: one fake per account and region, found from the request's credential scope.
  const fakes = new Map<string, FakeSecretsManager>();
  const calls = new Map<string, UnitCalls>();
  const callsOf = (account: string, region: string) => {
    const key = account === CENTRAL_ACCOUNT && region === ownRegion ? 'own' : unitKey({ account, region });
    const known = calls.get(key);
    if (known) return known;
    const c = { key, assumeRole: 0, listSecrets: 0, listSecretVersionIds: 0 };
    calls.set(key, c);
    return c;
  };
  let inFlight = 0;
  let maxInFlight = 0;
  const busyAccounts = new Map<string, number>();
  const requestHandler = {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      const auth = String(request.headers.authorization ?? request.headers.Authorization ?? '');
      const m = /Credential=SIM(\d{12})[^/]*\/\d+\/([a-z0-9-]+)\//.exec(auth);
      if (!m) throw new Error(`simulation: no simulated credentials on the request (${auth.slice(0, 60)})`);
      const [, account, region] = m;
      const target = String(request.headers['x-amz-target'] ?? '').replace('secretsmanager.', '');
      const c = callsOf(account, region);
      if (target === 'ListSecrets') c.listSecrets++;
      else if (target === 'ListSecretVersionIds') c.listSecretVersionIds++;
      const key = `${account}#${region}`;
      const fake = fakes.get(key) ?? new FakeSecretsManager(secretsOf(account, region, options.secretsPerAccount, nowS));
      fakes.set(key, fake);
      // The unit is busy while its call is answered: the answer comes on a later turn, as from the network.
      busyAccounts.set(key, (busyAccounts.get(key) ?? 0) + 1);
      if (busyAccounts.get(key) === 1) maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        await new Promise((resolve) => setImmediate(resolve));
        return await fake.handler.handle(request);
      } finally {
        const left = (busyAccounts.get(key) ?? 1) - 1;
        busyAccounts.set(key, left);
        if (left === 0) inFlight--;
      }
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
    destroy: () => undefined,
  };

  // STS: AssumeRole into any account but the denied; the credentials name the account.
  let assumeRoleCalls = 0;
  const sts = {
    send: async (command: { constructor: { name: string }; input: { RoleArn?: string } }) => {
      if (command.constructor.name === 'GetCallerIdentityCommand') return { Account: CENTRAL_ACCOUNT };
      assumeRoleCalls++;
      const arn = String(command.input.RoleArn);
      const [, account, region] = /::(\d{12}):role\/secretwatch-sim-scan-([a-z0-9-]+)$/.exec(arn) ?? [];
      callsOf(account, region).assumeRole++;
      if (options.denied?.has(account)) throw Object.assign(new Error(`not authorized to perform: sts:AssumeRole on resource: ${arn}`), { name: 'AccessDenied' });
      return { Credentials: { AccessKeyId: `SIM${account}`, SecretAccessKey: 'sim', SessionToken: 'sim', Expiration: new Date(now.getTime() + 3_600_000) } };
    },
  } as unknown as STSClient;

  const central: CentralScanDeps = { sts, roleName: 'secretwatch-sim-scan-{region}', region: ownRegion, regions: [ownRegion, ...otherRegions], clientOptions: { requestHandler } };
  const store = new MemoryScanRunStore();
  for (const key of options.failing ?? []) store.failScannedUnits.add(key);

  // SQS: the queue, its dead-letter queue, receive counts.
  interface Message {
    id: string;
    body: string;
    receives: number;
  }
  const queue: Message[] = [];
  const deadLetters: Message[] = [];
  let enqueued = 0;
  const triggered: string[] = [];
  const fanOut: FanOutDeps = {
    store,
    central,
    enqueue: async (units: readonly ScanUnit[]) => {
      for (const unit of units) queue.push({ id: `m-${enqueued++}`, body: JSON.stringify(unit), receives: 0 });
    },
    trigger: async (run: string) => {
      triggered.push(run);
    },
  };

  const delivery = mockDeliveryClients();
  delivery.succeedAll();
  const own = createInventoryClient({ requestHandler, region: ownRegion, credentials: { accessKeyId: `SIM${CENTRAL_ACCOUNT}`, secretAccessKey: 'sim' } });
  const scanDeps = { config, inventory: own, clients: delivery.clients, log: silentLog, region: ownRegion, now: () => now, fanOut };
  const coordinator = await handleInventoryScan({ time: now.toISOString() }, scanDeps);
  if (coordinator.status !== 'fanned-out') throw new Error(`simulation: the coordinator did not fan out (${coordinator.status})`);

  // The event source: `concurrency` pollers, one message per invocation, failed ones back on the queue.
  let deliveries = 0;
  const workerDeps = { config, store, trigger: fanOut.trigger, central, log: silentLog, deadLetterQueueArn: DLQ_ARN };
  const invoke = async (message: Message, source: string) => {
    deliveries++;
    message.receives++;
    const event = { Records: [{ messageId: message.id, body: message.body, eventSourceARN: source }] } as unknown as SQSEvent;
    const { batchItemFailures } = await handleScanUnits(event, workerDeps);
    if (!batchItemFailures.length) return;
    if (source === DLQ_ARN) throw new Error(`simulation: a dead letter failed too (${message.body})`);
    if (message.receives >= maxReceiveCount) deadLetters.push({ ...message, receives: 0 });
    else queue.push(message);
  };
  let deadLettered = 0;
  const poller = async () => {
    for (;;) {
      const fromQueue = queue.shift();
      if (fromQueue) {
        await invoke(fromQueue, QUEUE_ARN);
        continue;
      }
      const dead = deadLetters.shift();
      if (!dead) return;
      deadLettered++;
      await invoke(dead, DLQ_ARN);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, poller));
  if (triggered.length !== 1) throw new Error(`simulation: the assembling step was started ${triggered.length} times`);

  const published: string[] = [];
  const assembled = await handleInventoryScan({ assembleScan: triggered[0] }, scanDeps);
  for (const call of delivery.sns.calls()) published.push(String((call.args[0].input as { Message?: string }).Message ?? ''));
  own.client.destroy();
  const totals = [...calls.values()];
  return {
    run: coordinator.run,
    coordinator,
    assembled,
    enqueued,
    deliveries,
    deadLettered,
    maxInFlight,
    assumeRoleCalls,
    listSecretsCalls: totals.reduce((n, c) => n + c.listSecrets, 0),
    versionCalls: totals.reduce((n, c) => n + c.listSecretVersionIds, 0),
    triggers: triggered.length,
    unitCalls: totals,
    digests: published,
  };
}
