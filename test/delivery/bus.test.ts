import { makeFinding } from '../helpers/findings';
import 'aws-sdk-client-mock-jest';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { BusDeliveryError, putFindings } from '../../src/delivery/bus';
import type { Finding } from '../../src/findings/finding';

const eb = mockClient(EventBridgeClient);
const client = new EventBridgeClient({});
const NOW = new Date('2024-06-01T00:00:00Z');

function finding(i: number): Finding {
  return makeFinding({
    check: 'rotation-not-enabled',
    severity: 'MEDIUM',
    title: `Secret s${i} has no automatic rotation`,
    secret: { arn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:s${i}-AbCdEf`, name: `s${i}`, id: null },
    account: '111122223333',
    region: 'eu-west-1',
    actor: null,
    event: null,
    details: {},
    remediation: 'Turn on rotation.',
  });
}

beforeEach(() => eb.reset());

test("a scan's findings go 10 to a call, several calls at a time, every one of them", async () => {
  let inFlight = 0;
  let most = 0;
  eb.on(PutEventsCommand).callsFake(async (input: { Entries: unknown[] }) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    return { FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'e' })) };
  });
  await putFindings(
    client,
    'findings',
    Array.from({ length: 95 }, (_, i) => finding(i)),
    NOW,
    4,
  );
  const calls = eb.commandCalls(PutEventsCommand);
  expect(calls.map((c) => c.args[0].input.Entries?.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
  expect(calls.flatMap((c) => c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.Detail as string).secret?.name)).toEqual(Array.from({ length: 95 }, (_, i) => `s${i}`));
  expect(most).toBe(4);
});

test('entries the bus refused are all reported, after every batch was tried; the message lists each error once', async () => {
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 10, Entries: Array.from({ length: 10 }, () => ({ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' })) });
  const error = await putFindings(
    client,
    'findings',
    Array.from({ length: 30 }, (_, i) => finding(i)),
    NOW,
    2,
  ).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BusDeliveryError);
  expect((error as BusDeliveryError).failures).toHaveLength(30);
  expect((error as Error).message).toBe('30 finding(s) not accepted by the event bus: ThrottlingException');
  expect(eb).toHaveReceivedCommandTimes(PutEventsCommand, 3);
});
