/**
 * The fanned-out central scan against moto_server: the coordinator (handleInventoryScan with its
 * fan-out) queues one unit per member account on a real SQS queue, the scan workers
 * (handleScanUnits) receive them as Lambda's event source would hand them over and store each
 * result in a real DynamoDB table, and the assembling invocation reads them back and sends one
 * digest. moto runs no Lambda, so the test polls the queues and makes the assembling invocation
 * the last worker asked for. Member accounts are reached through STS AssumeRole (moto answers for
 * any account id and keeps each account's secrets apart); one member's AssumeRole is refused as
 * STS would refuse it (middleware on the test's STS client, as in centralScan.test.ts).
 */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';
import type { SQSEvent } from 'aws-lambda';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config';
import { createDeliveryClients } from '../../src/delivery/clients';
import { silentLog } from '../../src/delivery/log';
import { createInventoryClient } from '../../src/inventory/client';
import type { FanOutDeps } from '../../src/runtime/fanOut/coordinator';
import { DynamoScanRunStore } from '../../src/runtime/fanOut/dynamoStore';
import { sqsUnitQueue } from '../../src/runtime/fanOut/sqsQueue';
import { handleScanUnits } from '../../src/runtime/fanOut/worker';
import { handleInventoryScan } from '../../src/runtime/inventoryScan';
import { DENIED, MEMBER_A, MEMBER_B, refusingSts, ROLE_NAME, seedCentralScan } from './memberAccounts';
import { describeWithMoto, MOTO_ACCOUNT, MOTO_REGION, receiveMessages } from './motoServer';

jest.setTimeout(90_000);

describeWithMoto('the fanned-out central scan', (moto) => {
  let topicArn = '';
  let alertQueueUrl = '';

  async function queueWithDeadLetters(name: string, maxReceiveCount: number): Promise<{ url: string; arn: string; deadUrl: string; deadArn: string }> {
    const sqs = new SQSClient(moto.clientConfig());
    const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const deadUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }))).QueueUrl!;
    const deadArn = await arnOf(deadUrl);
    const url = (
      await sqs.send(
        new CreateQueueCommand({
          QueueName: name,
          // Retried at once rather than after a worker's timeout, to keep the test short.
          Attributes: { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadArn, maxReceiveCount }) },
        }),
      )
    ).QueueUrl!;
    const arn = await arnOf(url);
    sqs.destroy();
    return { url, arn, deadUrl, deadArn };
  }

  /** The scan run table as the central stack defines it (serverless/organization.js), under another name. */
  async function createTable(name: string): Promise<void> {
    const { Properties } = require('../../serverless/organization.js').scanRunsTable('dev');
    const ddb = new DynamoDBClient(moto.clientConfig());
    await ddb.send(new CreateTableCommand({ TableName: name, BillingMode: Properties.BillingMode, AttributeDefinitions: Properties.AttributeDefinitions, KeySchema: Properties.KeySchema }));
    await ddb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: Properties.TimeToLiveSpecification }));
    ddb.destroy();
  }

  /** Receives every message of a queue and hands each to the workers as the event source would, deleting it unless reported failed. */
  async function drain(queueUrl: string, sourceArn: string, deps: Parameters<typeof handleScanUnits>[1]): Promise<{ handled: number; failed: number }> {
    const sqs = new SQSClient(moto.clientConfig());
    let handled = 0;
    let failed = 0;
    for (let empty = 0; empty < 2; ) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
      const messages: Message[] = out.Messages ?? [];
      if (!messages.length) {
        empty++;
        continue;
      }
      empty = 0;
      for (const m of messages) {
        handled++;
        const event = { Records: [{ messageId: m.MessageId, receiptHandle: m.ReceiptHandle, body: m.Body, eventSourceARN: sourceArn }] } as unknown as SQSEvent;
        const { batchItemFailures } = await handleScanUnits(event, deps);
        if (batchItemFailures.length) failed++;
        else await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }
    }
    sqs.destroy();
    return { handled, failed };
  }

  beforeAll(async () => {
    ({ topicArn, alertQueueUrl } = await seedCentralScan(moto));
  });

  test('every member through the queue, each unit scanned and stored once, the refused one its own finding, one digest counting every account', async () => {
    moto.assertEnvironment();
    await createTable('scan-runs');
    const queue = await queueWithDeadLetters('scan-units', 3);
    const config: Config = { ...DEFAULT_CONFIG, alertTopicArn: topicArn, scanAccounts: [MEMBER_A, DENIED, MEMBER_B] };
    const { sts, assumed } = refusingSts();
    const ddb = new DynamoDBClient({});
    const sqs = new SQSClient({});
    const triggered: string[] = [];
    const fanOut: FanOutDeps = {
      store: new DynamoScanRunStore(ddb, 'scan-runs'),
      enqueue: sqsUnitQueue(sqs, queue.url),
      trigger: async (run) => {
        triggered.push(run);
      },
      central: { sts, roleName: ROLE_NAME, region: MOTO_REGION },
    };
    const inventory = createInventoryClient();
    const scanDeps = { config, inventory, clients: createDeliveryClients(), log: silentLog, region: MOTO_REGION, fanOut };
    const time = new Date(Date.now() + 120_000).toISOString();
    try {
      const started = await handleInventoryScan({ time }, scanDeps);
      expect(started).toMatchObject({ status: 'fanned-out', units: 4, resumed: false });
      // Nothing assembles before the members are in.
      expect(triggered).toEqual([]);
      const workers = { config, store: fanOut.store, trigger: fanOut.trigger, central: fanOut.central, log: silentLog, deadLetterQueueArn: queue.deadArn };
      expect(await drain(queue.url, queue.arn, workers)).toEqual({ handled: 3, failed: 0 });
      expect(assumed.map((arn) => arn.split(':')[4]).sort()).toEqual([MEMBER_A, MEMBER_B, DENIED].sort());
      expect(triggered).toHaveLength(1);

      // The coordinator retried (same scheduled event): the same run, nothing stored queued or scanned again, no second assembly.
      const again = await handleInventoryScan({ time }, scanDeps);
      expect(again).toMatchObject({ status: 'fanned-out', units: 4, queued: 0, resumed: true });
      expect(await drain(queue.url, queue.arn, workers)).toEqual({ handled: 0, failed: 0 });
      expect(assumed).toHaveLength(3);
      expect(triggered).toHaveLength(1);
      // A unit delivered twice (SQS is at least once) is scanned again but not counted again.
      await sqsUnitQueue(sqs, queue.url)([{ run: triggered[0], scannedAt: new Date(Math.floor(Date.parse(time) / 60_000) * 60_000).toISOString(), account: MEMBER_A, region: MOTO_REGION }]);
      expect(await drain(queue.url, queue.arn, workers)).toEqual({ handled: 1, failed: 0 });
      expect(await fanOut.store.getRun(triggered[0])).toMatchObject({ total: 4, done: 4 });
      expect(triggered).toHaveLength(1);

      const result = await handleInventoryScan({ assembleScan: triggered[0] }, scanDeps);
      expect(result).toMatchObject({ status: 'completed', secrets: 1 + 2 + 3, findings: 6 + 1, delivery: { digestPublished: true } });
      if (result.status !== 'completed') return;
      expect(result.accounts?.map((a) => [a.account, a.status, a.secrets ?? a.step]).sort()).toEqual([
        [MEMBER_A, 'scanned', 2],
        [MEMBER_B, 'scanned', 3],
        [DENIED, 'unreachable', 'AssumeRole'],
      ]);
      const alerts = new SQSClient(moto.clientConfig());
      const [message] = await receiveMessages(alerts, alertQueueUrl, { expect: 1 });
      alerts.destroy();
      const digest = JSON.parse(JSON.parse(message.Body!).Message) as { accounts: number; entries: { account: string; check: string }[] };
      expect(digest.accounts).toBe(4);
      expect(digest.entries.filter((e) => e.check === 'scan-account-unreachable').map((e) => e.account)).toEqual([DENIED]);
      expect(new Set(digest.entries.map((e) => e.account))).toEqual(new Set([MOTO_ACCOUNT, MEMBER_A, MEMBER_B, DENIED]));
      // An assembling request for a run that is not stored reports nothing.
      expect(await handleInventoryScan({ assembleScan: 'no-such-run' }, scanDeps)).toEqual({ status: 'unknown-run', run: 'no-such-run' });
    } finally {
      inventory.client.destroy();
      sts.destroy();
      ddb.destroy();
      sqs.destroy();
    }
  });

  test('a unit the worker fails on every attempt goes to the dead-letter queue, and from there is recorded as scan-account-unreachable', async () => {
    moto.assertEnvironment();
    await createTable('scan-runs-dlq');
    const queue = await queueWithDeadLetters('scan-units-failing', 2);
    const config: Config = { ...DEFAULT_CONFIG, alertTopicArn: topicArn, scanAccounts: [MEMBER_A] };
    const ddb = new DynamoDBClient({});
    const store = new DynamoScanRunStore(ddb, 'scan-runs-dlq');
    const scannedAt = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    const run = `${scannedAt}/dlq`;
    await store.createRun({ run, total: 1, scannedAt, fullDigest: false, region: MOTO_REGION, account: MOTO_ACCOUNT });
    const sqs = new SQSClient(moto.clientConfig());
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: JSON.stringify({ run, scannedAt, account: MEMBER_A, region: MOTO_REGION }) }));
    sqs.destroy();
    const sts = new STSClient({});
    const triggered: string[] = [];
    const central = { sts, roleName: ROLE_NAME, region: MOTO_REGION };
    const trigger = async (r: string) => {
      triggered.push(r);
    };
    try {
      // A store the worker cannot write to (no such table): every attempt fails and is reported back.
      const broken = { config, store: new DynamoScanRunStore(ddb, 'no-such-table'), trigger, central, log: silentLog, deadLetterQueueArn: queue.deadArn };
      const first = await drain(queue.url, queue.arn, broken);
      expect(first).toEqual({ handled: 2, failed: 2 });
      expect(triggered).toEqual([]);
      // SQS moved it to the dead-letter queue after its last receive; the worker records it there.
      const workers = { ...broken, store };
      expect(await drain(queue.deadUrl, queue.deadArn, workers)).toEqual({ handled: 1, failed: 0 });
      expect(triggered).toEqual([run]);
      const units = [];
      for await (const unit of store.units(run)) units.push(unit);
      expect(units).toHaveLength(1);
      expect(units[0].outcome).toMatchObject({
        account: MEMBER_A,
        region: MOTO_REGION,
        status: 'unreachable',
        step: 'ScanWorker',
        finding: { check: 'scan-account-unreachable', severity: 'HIGH', account: MEMBER_A, details: { step: 'ScanWorker', roleArn: `arn:aws:iam::${MEMBER_A}:role/${ROLE_NAME}` } },
      });
    } finally {
      sts.destroy();
      ddb.destroy();
    }
  });

  test('a unit result larger than one item is stored in parts and read back whole', async () => {
    await createTable('scan-runs-large');
    const ddb = new DynamoDBClient({});
    const store = new DynamoScanRunStore(ddb, 'scan-runs-large');
    await store.createRun({ run: 'large', total: 1, scannedAt: new Date().toISOString(), fullDigest: false, region: MOTO_REGION, account: MOTO_ACCOUNT });
    // Random text does not compress: over a megabyte of error text is three parts.
    const error = require('node:crypto').randomBytes(600_000).toString('hex');
    const outcome = { account: MEMBER_B, region: MOTO_REGION, status: 'unreachable' as const, step: 'ListSecrets' as const, error, finding: { check: 'scan-account-unreachable' } as never };
    expect(await store.putUnit('large', 'unit-1', outcome)).toBe(true);
    expect(await store.putUnit('large', 'unit-1', outcome)).toBe(false);
    expect(await store.getRun('large')).toMatchObject({ total: 1, done: 1 });
    expect(await store.claimAssembly('large')).toBe(true);
    expect(await store.claimAssembly('large')).toBe(false);
    const units = [];
    for await (const unit of store.units('large')) units.push(unit);
    expect(units.map((u) => [u.key, (u.outcome as { error: string }).error === error])).toEqual([['unit-1', true]]);
    ddb.destroy();
  });
});
