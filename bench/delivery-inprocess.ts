/**
 * The event handler's delivery against moto_server, in one process as a warm Lambda container
 * runs it: N force-deletion events (each its own eventID), one after the other, timed per event.
 * Run twice by bench/delivery.js: without the delivery table (every retry re-sends everything, as
 * before the ledger) and with it. Bundled by esbuild: `delivery-inprocess.js N ledger|none`;
 * AWS_ENDPOINT_URL points at moto_server. Prints one JSON line.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { deletionMonitor } from '../src/monitors';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envelopeOf, type CloudTrailRecord } from '../test/integration/cloudtrail';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(n: number, mode: 'ledger' | 'none') {
  const tag = `${mode}-${process.pid}`;
  const topicArn = (await new SNSClient({}).send(new CreateTopicCommand({ Name: `bench-${tag}` }))).TopicArn as string;
  await new EventBridgeClient({}).send(new CreateEventBusCommand({ Name: `bench-${tag}` }));
  const env: Record<string, string> = { ALERT_TOPIC_ARN: topicArn, FINDINGS_BUS_NAME: `bench-${tag}`, LOG_LEVEL: 'SILENT' };
  if (mode === 'ledger') {
    env.DELIVERY_TABLE_NAME = `bench-${tag}`;
    await new DynamoDBClient({}).send(
      new CreateTableCommand({
        TableName: env.DELIVERY_TABLE_NAME,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
  }
  const handler = createLambdaHandler(deletionMonitor, env);
  // Run from the repository root (bench/delivery.js sets the working directory).
  const record = JSON.parse(readFileSync(join('test', 'fixtures', 'cloudtrail', 'DeleteSecret', 'invictus-awsds-1.json'), 'utf8')) as CloudTrailRecord;
  const latencies: number[] = [];
  let findings = 0;
  let channelSends = 0;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const event = envelopeOf({ ...record, eventID: `bench-${tag}-${i}` });
    const t = performance.now();
    const result = await handler(event);
    latencies.push(performance.now() - t);
    if (result.status !== 'processed') throw new Error(`event ${i}: ${result.status}`);
    findings += result.findings.length;
    channelSends += result.delivery.channels.reduce((a, c) => a + c.sent, 0);
  }
  const seconds = (performance.now() - started) / 1000;
  const sorted = [...latencies].sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({ mode, events: n, findings, channelSends, seconds, eventsPerSecond: n / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), meanMs: latencies.reduce((a, b) => a + b, 0) / n })}\n`,
  );
}

main(Number(process.argv[2] ?? 1000), (process.argv[3] ?? 'ledger') as 'ledger' | 'none').catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
