import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { makeFinding } from '../helpers/findings';
import { DeliveryInProgressError, deliverOnEachChannel, PartialDeliveryError, type DeliveryChannel } from '../../src/delivery/channel';
import { deliveryKey, dynamoLedger, type ClaimOutcome, type DeliveryLedger } from '../../src/delivery/ledger';
import { silentLog, type Log } from '../../src/delivery/log';
import type { Finding } from '../../src/findings/finding';

const dynamo = mockClient(DynamoDBClient);
beforeEach(() => dynamo.reset());

function finding(eventId: string | null, check = 'secret-force-deleted'): Finding {
  return makeFinding({
    check,
    severity: 'CRITICAL',
    title: 't',
    secret: { arn: null, name: 'prod/db', id: 'prod/db' },
    account: '111122223333',
    region: 'us-east-1',
    actor: null,
    event: eventId ? { id: eventId, name: 'DeleteSecret', time: '2024-06-01T00:00:00Z' } : null,
    details: {},
    remediation: 'r',
  });
}

/** A ledger in memory with the DynamoDB one's semantics; `fail` makes every call throw (a table missing or throttled). */
function memoryLedger(fail?: Error): DeliveryLedger & { items: Map<string, 'IN_PROGRESS' | 'DELIVERED'> } {
  const items = new Map<string, 'IN_PROGRESS' | 'DELIVERED'>();
  const check = () => {
    if (fail) throw fail;
  };
  return {
    items,
    async claim(key): Promise<ClaimOutcome> {
      check();
      const state = items.get(key);
      if (state === 'DELIVERED') return 'delivered';
      if (state === 'IN_PROGRESS') return 'in-progress';
      items.set(key, 'IN_PROGRESS');
      return 'claimed';
    },
    async complete(key) {
      check();
      items.set(key, 'DELIVERED');
    },
    async release(key) {
      check();
      items.delete(key);
    },
  };
}

function recordingChannel(name: string, behaviour: (findings: readonly Finding[]) => void = () => {}): DeliveryChannel & { sent: Finding[][] } {
  const sent: Finding[][] = [];
  return {
    name,
    sent,
    async send(findings) {
      sent.push([...findings]);
      behaviour(findings);
    },
  };
}

function errorsLog(): Log & { errors: string[] } {
  const errors: string[] = [];
  return { ...silentLog, errors, error: (message: string) => errors.push(message) };
}

const options = (ledger?: DeliveryLedger, log: Log = silentLog) => ({ ledger, scope: 'deletionMonitor', leaseMs: 30_000, log });

test('a retry sends on each channel only what that channel did not take', async () => {
  const ledger = memoryLedger();
  const findings = [finding('e-1'), finding('e-1', 'secret-deletion-scheduled')];
  const metrics = recordingChannel('metrics');
  let busUp = false;
  const bus = recordingChannel('findings-bus', () => {
    if (!busUp) throw new Error('ResourceNotFoundException');
  });
  const first = await deliverOnEachChannel([metrics, bus], findings, options(ledger));
  expect(first.map((o) => [o.channel, o.sent, o.error === undefined])).toEqual([
    ['metrics', 2, true],
    ['findings-bus', 0, false],
  ]);
  busUp = true;
  const retry = await deliverOnEachChannel([metrics, bus], findings, options(ledger));
  expect(retry.map((o) => [o.channel, o.sent, o.alreadyDelivered, o.error])).toEqual([
    ['metrics', 0, 2, undefined],
    ['findings-bus', 2, 0, undefined],
  ]);
  expect(metrics.sent).toEqual([findings]);
  expect(bus.sent).toEqual([findings, findings]);
});

test('a channel that took some findings and refused others: the retry sends the refused ones only', async () => {
  const ledger = memoryLedger();
  const findings = [finding('e-1'), finding('e-1', 'secret-deletion-scheduled')];
  let refuse = true;
  const topic = recordingChannel('alert-topic', (sent) => {
    if (refuse) throw new PartialDeliveryError([sent[0]], new Error('KMSThrottlingException'));
  });
  const [first] = await deliverOnEachChannel([topic], findings, options(ledger));
  expect(first).toMatchObject({ sent: 1, error: new Error('KMSThrottlingException') });
  refuse = false;
  const [retry] = await deliverOnEachChannel([topic], findings, options(ledger));
  expect(retry).toMatchObject({ sent: 1, alreadyDelivered: 1 });
  expect(topic.sent).toEqual([findings, [findings[1]]]);
});

test('a finding another invocation is sending (a duplicate delivery in flight) is not sent, and fails this one', async () => {
  const ledger = memoryLedger();
  const f = finding('e-1');
  ledger.items.set(deliveryKey('deletionMonitor', 'e-1', f.check, 'metrics'), 'IN_PROGRESS');
  const metrics = recordingChannel('metrics');
  const [outcome] = await deliverOnEachChannel([metrics], [f], options(ledger));
  expect(outcome.error).toBeInstanceOf(DeliveryInProgressError);
  expect(metrics.sent).toEqual([]);
});

test.each([
  ['missing', Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' })],
  ['throttled', Object.assign(new Error('Rate of requests exceeds the allowed throughput'), { name: 'ThrottlingException' })],
])('the ledger %s: every finding is sent anyway (at least once rather than never), and it is logged', async (_label, failure) => {
  const log = errorsLog();
  const metrics = recordingChannel('metrics');
  const [outcome] = await deliverOnEachChannel([metrics], [finding('e-1')], options(memoryLedger(failure), log));
  expect(outcome).toMatchObject({ sent: 1, alreadyDelivered: 0 });
  expect(outcome.error).toBeUndefined();
  // Nothing was claimed, so nothing is recorded afterwards: one line, not two.
  expect(log.errors).toEqual(['delivery ledger unavailable: sending without it (a retry may send this finding again)']);
});

test('without a ledger, or for a finding without an event (a scan), everything is sent every time', async () => {
  const metrics = recordingChannel('metrics');
  await deliverOnEachChannel([metrics], [finding('e-1')], options());
  await deliverOnEachChannel([metrics], [finding(null)], options(memoryLedger()));
  await deliverOnEachChannel([metrics], [finding(null)], options(memoryLedger()));
  expect(metrics.sent).toHaveLength(3);
});

test('keys: one per scope, event, check and channel, whatever the event id holds', () => {
  const key = deliveryKey('deletionMonitor', 'e-1', 'secret-force-deleted', 'metrics');
  expect(key).toMatch(/^[0-9a-f]{64}$/);
  expect(new Set([key, deliveryKey('policyMonitor', 'e-1', 'secret-force-deleted', 'metrics'), deliveryKey('deletionMonitor', 'e-1', 'secret-force-deleted', 'alert-topic')]).size).toBe(3);
  expect(deliveryKey('s', `\ud800${'x'.repeat(10_000)}`, 'c', 'm')).toHaveLength(64);
});

describe('the DynamoDB ledger', () => {
  const ledger = dynamoLedger(new DynamoDBClient({ region: 'us-east-1' }), 'deliveries', { now: () => 1_717_200_000_000 });

  test('a claim is a conditional put with a lease and a day of retention', async () => {
    dynamo.on(PutItemCommand).resolves({});
    await expect(ledger.claim('k', 25_000)).resolves.toBe('claimed');
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'deliveries',
      Item: { id: { S: 'k' }, status: { S: 'IN_PROGRESS' }, leaseUntil: { N: '1717200025000' }, expiresAt: { N: String(1_717_200_000 + 86_400) } },
      ConditionExpression: 'attribute_not_exists(id) OR (#status = :inProgress AND leaseUntil < :now) OR expiresAt < :nowSeconds',
    });
  });

  test.each([
    ['DELIVERED', 'delivered'],
    ['IN_PROGRESS', 'in-progress'],
  ])('a claim refused on an item %s is %s', async (status, outcome) => {
    dynamo.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    dynamo.on(GetItemCommand).resolves({ Item: { id: { S: 'k' }, status: { S: status } } });
    await expect(ledger.claim('k', 25_000)).resolves.toBe(outcome);
  });

  test('a throttled claim throws (the channel then sends without the ledger)', async () => {
    dynamo.on(PutItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(ledger.claim('k', 25_000)).rejects.toThrow('throttled');
  });

  test('complete marks the item delivered; release deletes it only while it is a claim', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    dynamo.on(DeleteItemCommand).resolves({});
    await ledger.complete('k');
    await ledger.release('j');
    expect(dynamo).toHaveReceivedCommandWith(UpdateItemCommand, { Key: { id: { S: 'k' } }, ExpressionAttributeValues: { ':delivered': { S: 'DELIVERED' } } });
    expect(dynamo).toHaveReceivedCommandWith(DeleteItemCommand, { Key: { id: { S: 'j' } }, ConditionExpression: '#status = :inProgress' });
  });
});
