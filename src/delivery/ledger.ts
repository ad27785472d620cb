import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The delivery ledger: one item per (event, check, channel) that says whether that channel already
 * took that finding. A channel claims a finding before sending it (a conditional write), marks it
 * delivered after, and releases it when the send failed, so that a retried invocation re-sends
 * only what did not go out, and a duplicate delivery of the same event sends nothing twice.
 *
 * A claim is a lease: an invocation that dies mid-send (timeout, crash) leaves its claim behind,
 * and the claim lapses when that invocation's time is up, so the retry that follows (Lambda waits
 * at least a minute) may send again. That is the one case where a channel can get a finding twice:
 * the send went out and the invocation died before recording it.
 */

export type ClaimOutcome =
  /** This invocation holds the claim: send, then complete() or release(). */
  | 'claimed'
  /** The channel already took the finding: do not send again. */
  | 'delivered'
  /** Another live invocation is sending it now: fail, and be retried once that one is done. */
  | 'in-progress'
  /** The ledger could not be read or written: send anyway (at least once rather than never). */
  | 'unavailable';

export interface DeliveryLedger {
  claim(key: string, leaseMs: number, signal?: AbortSignal): Promise<ClaimOutcome>;
  complete(key: string, signal?: AbortSignal): Promise<void>;
  release(key: string, signal?: AbortSignal): Promise<void>;
}

/** The identity of one delivery, hashed: event ids come from the event (hostile, any length), and a key holds at most 2 KB. */
export function deliveryKey(scope: string, eventId: string, check: string, channel: string): string {
  return createHash('sha256')
    .update(JSON.stringify([scope, eventId, check, channel]))
    .digest('hex');
}

/**
 * How long an item is kept (DynamoDB's TTL deletes it after): longer than any retry or duplicate
 * delivery of the same event can come (the rules retry for an hour, Lambda keeps an event for at
 * most six), short enough that the table stays small.
 */
export const LEDGER_RETENTION_SECONDS = 24 * 3600;

const IN_PROGRESS = 'IN_PROGRESS';
const DELIVERED = 'DELIVERED';

export interface DynamoLedgerOptions {
  now?: () => number;
  retentionSeconds?: number;
}

/** The ledger in a DynamoDB table with a string partition key `id` and TTL on `expiresAt`. */
export function dynamoLedger(client: DynamoDBClient, tableName: string, options: DynamoLedgerOptions = {}): DeliveryLedger {
  const now = options.now ?? Date.now;
  const retention = options.retentionSeconds ?? LEDGER_RETENTION_SECONDS;
  const key = (id: string) => ({ id: { S: id } });
  return {
    async claim(id, leaseMs, signal) {
      const at = now();
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...key(id),
              status: { S: IN_PROGRESS },
              leaseUntil: { N: String(at + leaseMs) },
              expiresAt: { N: String(Math.floor(at / 1000) + retention) },
            },
            // Absent; or a lease that lapsed (its invocation died); or expired and not yet removed by TTL, which lags.
            ConditionExpression: 'attribute_not_exists(id) OR (#status = :inProgress AND leaseUntil < :now) OR expiresAt < :nowSeconds',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':inProgress': { S: IN_PROGRESS }, ':now': { N: String(at) }, ':nowSeconds': { N: String(Math.floor(at / 1000)) } },
          }),
          { abortSignal: signal },
        );
        return 'claimed';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      const { Item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key(id), ConsistentRead: true }), { abortSignal: signal });
      // Gone between the two calls (released by the invocation that held it): claim again on the retry.
      if (!Item) return 'in-progress';
      return Item.status?.S === DELIVERED ? 'delivered' : 'in-progress';
    },
    async complete(id, signal) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(id),
          UpdateExpression: 'SET #status = :delivered REMOVE leaseUntil',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':delivered': { S: DELIVERED } },
        }),
        { abortSignal: signal },
      );
    },
    async release(id, signal) {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: key(id),
          // Never undo a delivery another invocation recorded.
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': { S: IN_PROGRESS } },
        }),
        { abortSignal: signal },
      );
    },
  };
}
