import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { forEachLimit } from '../../inventory/pool';
import type { UnitQueue } from './store';
import type { ScanUnit } from './units';

/** SendMessageBatch's limit. */
const BATCH = 10;
/** Batches in flight at once: thousands of units are queued in seconds. */
const CONCURRENCY = 8;
/** Entries SQS refused for a passing reason (throttling, an internal error) are sent again this many times. */
const ATTEMPTS = 3;

/** Queues units on the scan workers' queue, ten to a call; a unit that cannot be queued fails the call (the coordinator is retried). */
export function sqsUnitQueue(client: SQSClient, queueUrl: string): UnitQueue {
  return async (units: readonly ScanUnit[]) => {
    const batches: ScanUnit[][] = [];
    for (let i = 0; i < units.length; i += BATCH) batches.push(units.slice(i, i + BATCH));
    await forEachLimit(batches, CONCURRENCY, async (batch) => {
      let pending = batch.map((unit, i) => ({ Id: String(i), MessageBody: JSON.stringify(unit) }));
      for (let attempt = 1; pending.length; attempt++) {
        const out = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
        const failed = out.Failed ?? [];
        if (!failed.length) return;
        const permanent = failed.find((f) => f.SenderFault);
        if (permanent || attempt >= ATTEMPTS) {
          const f = permanent ?? failed[0];
          throw new Error(`${failed.length} scan unit(s) could not be queued: ${f.Code}: ${f.Message ?? ''}`);
        }
        const again = new Set(failed.map((f) => f.Id));
        pending = pending.filter((e) => again.has(e.Id));
      }
    });
  };
}
