import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  paginateQuery,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { decodeOutcome, encodeOutcome, type ScanRun, type ScanRunStore } from './store';
import type { UnitOutcome } from './units';

/** Under DynamoDB's 400 KB item limit with room for the keys: a larger unit result is split into parts. */
export const PART_BYTES = 350_000;
/** Results are only needed until the run is assembled; after this they expire (the table's TTL attribute). */
export const RESULT_TTL_SECONDS = 3 * 86_400;
/** The table's time-to-live attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';

const RUN_ITEM = '#run';
const UNIT_PREFIX = 'unit#';

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

function partItem(key: string, part: number): string {
  return `${UNIT_PREFIX}${key}#${String(part).padStart(5, '0')}`;
}

/** unit#<key>#<part> -> [key, part]; the key itself holds '#'. */
function parsePartItem(item: string): [string, number] {
  const cut = item.lastIndexOf('#');
  return [item.slice(UNIT_PREFIX.length, cut), Number(item.slice(cut + 1))];
}

/**
 * The units' results in a DynamoDB table (partition key `run`, sort key `item`, TTL on
 * `expiresAt`): one item for the run, one or more for each unit. A unit is counted in the same
 * transaction that stores it, and only if it was not stored before, so a message delivered twice
 * is counted once.
 */
export class DynamoScanRunStore implements ScanRunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private expiresAt(): AttributeValue {
    return n(Math.floor(this.now().getTime() / 1000) + RESULT_TTL_SECONDS);
  }

  async createRun(run: Omit<ScanRun, 'done'>): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            run: s(run.run),
            item: s(RUN_ITEM),
            total: n(run.total),
            done: n(0),
            scannedAt: s(run.scannedAt),
            fullDigest: { BOOL: run.fullDigest },
            region: run.region === null ? { NULL: true } : s(run.region),
            account: run.account === null ? { NULL: true } : s(run.account),
            [TTL_ATTRIBUTE]: this.expiresAt(),
          },
          ConditionExpression: 'attribute_not_exists(#run)',
          ExpressionAttributeNames: { '#run': 'run' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getRun(run: string): Promise<ScanRun | null> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: { run: s(run), item: s(RUN_ITEM) }, ConsistentRead: true }));
    const item = out.Item;
    if (!item) return null;
    return {
      run,
      total: Number(item.total?.N ?? 0),
      done: Number(item.done?.N ?? 0),
      scannedAt: item.scannedAt?.S ?? '',
      fullDigest: item.fullDigest?.BOOL === true,
      region: item.region?.S ?? null,
      account: item.account?.S ?? null,
    };
  }

  async putUnit(run: string, key: string, outcome: UnitOutcome): Promise<boolean> {
    const bytes = encodeOutcome(outcome);
    const parts = Math.max(1, Math.ceil(bytes.length / PART_BYTES));
    const part = (i: number) => bytes.subarray(i * PART_BYTES, (i + 1) * PART_BYTES);
    // The later parts first: part 0, written with the count, is what makes the unit stored.
    for (let i = 1; i < parts; i++) {
      await this.client.send(new PutItemCommand({ TableName: this.table, Item: { run: s(run), item: s(partItem(key, i)), data: { B: part(i) }, [TTL_ATTRIBUTE]: this.expiresAt() } }));
    }
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: { run: s(run), item: s(partItem(key, 0)), parts: n(parts), data: { B: part(0) }, [TTL_ATTRIBUTE]: this.expiresAt() },
                ConditionExpression: 'attribute_not_exists(#run)',
                ExpressionAttributeNames: { '#run': 'run' },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: { run: s(run), item: s(RUN_ITEM) },
                UpdateExpression: 'ADD #done :one',
                ConditionExpression: 'attribute_exists(#run)',
                ExpressionAttributeNames: { '#done': 'done', '#run': 'run' },
                ExpressionAttributeValues: { ':one': n(1) },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [unit, counter] = error.CancellationReasons ?? [];
      if (counter?.Code === 'ConditionalCheckFailed') throw new Error(`scan run ${run} is not in ${this.table} (expired, or never created)`);
      if (unit?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async claimAssembly(run: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { run: s(run), item: s(RUN_ITEM) },
          UpdateExpression: 'SET #assembling = :at',
          ConditionExpression: 'attribute_exists(#run) AND #done >= #total AND attribute_not_exists(#assembling)',
          ExpressionAttributeNames: { '#assembling': 'assembling', '#run': 'run', '#done': 'done', '#total': 'total' },
          ExpressionAttributeValues: { ':at': s(this.now().toISOString()) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseAssembly(run: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({ TableName: this.table, Key: { run: s(run), item: s(RUN_ITEM) }, UpdateExpression: 'REMOVE #assembling', ExpressionAttributeNames: { '#assembling': 'assembling' } }),
    );
  }

  async storedKeys(run: string): Promise<Set<string>> {
    const keys = new Set<string>();
    // Only the keys: a unit is stored once its part 0 is.
    for await (const page of paginateQuery({ client: this.client }, { ...this.unitQuery(run), ProjectionExpression: '#item' })) {
      for (const item of page.Items ?? []) {
        const [key, part] = parsePartItem(item.item?.S ?? '');
        if (part === 0) keys.add(key);
      }
    }
    return keys;
  }

  private unitQuery(run: string) {
    return {
      TableName: this.table,
      KeyConditionExpression: '#run = :run AND begins_with(#item, :prefix)',
      ExpressionAttributeNames: { '#run': 'run', '#item': 'item' },
      ExpressionAttributeValues: { ':run': s(run), ':prefix': s(UNIT_PREFIX) },
      ConsistentRead: true,
    };
  }

  async *units(run: string): AsyncIterable<{ key: string; outcome: UnitOutcome }> {
    let current: { key: string; parts: number; data: Uint8Array[] } | null = null;
    const complete = (unit: { key: string; parts: number; data: Uint8Array[] }) => {
      if (unit.data.length !== unit.parts) throw new Error(`scan run ${run}: unit ${unit.key} has ${unit.data.length} of its ${unit.parts} parts`);
      return { key: unit.key, outcome: decodeOutcome(Buffer.concat(unit.data)) };
    };
    const pages = paginateQuery({ client: this.client }, this.unitQuery(run));
    // Items come sorted by `item`: a unit's parts in order, one unit after the other.
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const [key, part] = parsePartItem(item.item?.S ?? '');
        if (part === 0) {
          if (current) yield complete(current);
          current = { key, parts: Number(item.parts?.N ?? 1), data: [] };
        }
        // A later part without its part 0: a unit whose storing did not finish; it was not counted.
        if (current?.key === key && item.data?.B) current.data.push(item.data.B);
      }
    }
    if (current) yield complete(current);
  }
}
