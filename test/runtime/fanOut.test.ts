/**
 * The fan-out's parts on their own: queueing units (SQS batches, entries refused), starting the
 * assembling step (Lambda's answer), a claim given back when the step cannot be started, and the
 * worker's answers to messages that are not units.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { STSClient } from '@aws-sdk/client-sts';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_CONFIG } from '../../src/config/config';
import type { Log } from '../../src/delivery/log';
import { assembleWhenComplete } from '../../src/runtime/fanOut/coordinator';
import { lambdaAssemblyTrigger } from '../../src/runtime/fanOut/lambdaTrigger';
import { sqsUnitQueue } from '../../src/runtime/fanOut/sqsQueue';
import { runName, type ScanUnit } from '../../src/runtime/fanOut/units';
import { handleScanUnits } from '../../src/runtime/fanOut/worker';
import { MemoryScanRunStore } from '../helpers/memoryScanRunStore';

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
beforeEach(() => {
  sqs.reset();
  lambda.reset();
});

const units = (n: number): ScanUnit[] => Array.from({ length: n }, (_, i) => ({ run: 'r', scannedAt: '2026-06-01T06:00:00.000Z', account: String(200000000000 + i), region: 'eu-west-1' }));

describe('queueing units', () => {
  test('ten to a call; entries refused for a passing reason are sent again, alone', async () => {
    let first = true;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      if (first) {
        first = false;
        return { Successful: [], Failed: [{ Id: input.Entries[3].Id, Code: 'InternalError', SenderFault: false }] };
      }
      return { Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] };
    });
    await sqsUnitQueue(new SQSClient({}), 'https://queue')(units(25));
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length);
    expect(calls.sort()).toEqual([1, 10, 10, 5].sort());
    const bodies = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => JSON.parse(e.MessageBody ?? '').account));
    expect(new Set(bodies).size).toBe(25);
  });

  test('an entry refused for its own fault, or refused every time, fails the call: the coordinator is retried', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InvalidParameterValue', SenderFault: true, Message: 'too long' }] });
    await expect(sqsUnitQueue(new SQSClient({}), 'https://queue')(units(1))).rejects.toThrow('1 scan unit(s) could not be queued: InvalidParameterValue: too long');
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false }] });
    await expect(sqsUnitQueue(new SQSClient({}), 'https://queue')(units(1))).rejects.toThrow('could not be queued: InternalError');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });
});

describe('starting the assembling step', () => {
  test('an asynchronous invocation of the scan function with the run', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await lambdaAssemblyTrigger('secretwatch-dev-inventoryScan', new LambdaClient({}))('2026-06-01T06:00:00.000Z');
    const input = lambda.commandCalls(InvokeCommand)[0].args[0].input;
    expect({ ...input, Payload: Buffer.from(input.Payload as Uint8Array).toString() }).toEqual({
      FunctionName: 'secretwatch-dev-inventoryScan',
      InvocationType: 'Event',
      Payload: '{"assembleScan":"2026-06-01T06:00:00.000Z"}',
    });
  });

  test('not accepted: the claim is given back, so that the retry of the last unit claims it again', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 500 });
    const store = new MemoryScanRunStore();
    await store.createRun({ run: 'r', total: 1, scannedAt: '2026-06-01T06:00:00.000Z', fullDigest: false, region: 'eu-west-1', account: null });
    await store.putUnit('r', 'own', { account: '1', region: 'eu-west-1', status: 'unreachable', step: 'AssumeRole', error: 'x', finding: {} as never });
    const trigger = lambdaAssemblyTrigger('fn', new LambdaClient({}));
    await expect(assembleWhenComplete('r', { store, trigger })).rejects.toThrow('was not accepted (status 500)');
    lambda.reset();
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    expect(await assembleWhenComplete('r', { store, trigger })).toBe(true);
    expect(await assembleWhenComplete('r', { store, trigger })).toBe(false);
  });

  test('a run is named after its scheduled minute; a full digest asked for is a run of its own', () => {
    const at = new Date('2026-06-01T06:00:00Z');
    expect([runName(at, false), runName(at, true)]).toEqual(['2026-06-01T06:00:00.000Z', '2026-06-01T06:00:00.000Z/full']);
  });
});

describe('the worker and messages that are not units', () => {
  const errors: [string, Record<string, unknown>][] = [];
  const log: Log = { debug() {}, info() {}, warn() {}, error: (message, extra) => void errors.push([message, extra ?? {}]) };
  const sts = { send: jest.fn() } as unknown as STSClient;
  const deps = { config: DEFAULT_CONFIG, store: new MemoryScanRunStore(), trigger: jest.fn(), central: { sts, roleName: 'r-{region}', region: 'eu-west-1' }, log, deadLetterQueueArn: null };

  test.each([
    ['not JSON', 'the message is not JSON'],
    [JSON.stringify({ run: 'r', scannedAt: 'yesterday', account: '1', region: 'eu-west-1' }), 'scannedAt'],
    [JSON.stringify({ run: 'r', scannedAt: '2026-06-01T06:00:00.000Z', account: '123', region: 'eu-west-1' }), 'account'],
    [JSON.stringify({ run: 'r', scannedAt: '2026-06-01T06:00:00.000Z', account: '123456789012', region: 'Ireland' }), 'region'],
  ])('%s: dropped and logged, not retried, nothing assumed or stored', async (body, reason) => {
    errors.length = 0;
    const event = { Records: [{ messageId: 'm-1', body, eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q' }] } as unknown as SQSEvent;
    expect(await handleScanUnits(event, deps)).toEqual({ batchItemFailures: [] });
    expect(errors).toEqual([['invalid scan unit: dropped, not retried', { messageId: 'm-1', reason: expect.stringContaining(reason) }]]);
    expect(sts.send).not.toHaveBeenCalled();
    expect(deps.trigger).not.toHaveBeenCalled();
  });

  test('a unit of a run that is not stored fails alone, and is retried', async () => {
    errors.length = 0;
    const good = { run: 'missing', scannedAt: '2026-06-01T06:00:00.000Z', account: '123456789012', region: 'eu-west-1' };
    (sts.send as jest.Mock).mockRejectedValue(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const event = { Records: [{ messageId: 'm-2', body: JSON.stringify(good), eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q' }] } as unknown as SQSEvent;
    expect(await handleScanUnits(event, deps)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-2' }] });
    expect(errors[0]).toEqual(['scan unit failed: retried', { messageId: 'm-2', error: { name: 'Error', message: 'scan run missing is not stored' } }]);
  });
});
