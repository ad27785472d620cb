/** Real CloudTrail records from the repository's fixtures, and the EventBridge envelopes they arrive in. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { EventBridgeEvent } from '../../src/events/record';

export type CloudTrailRecord = Record<string, unknown> & { eventID?: string; eventName: string; eventSource: string; eventTime: string };

/** The EventBridge envelope, built here independently of src/events so that the tests do not grade the parser with itself. */
export type Envelope = Omit<EventBridgeEvent, 'detail'> & { detail: CloudTrailRecord };

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cloudtrail');
const OWN_FIXTURES = path.join(__dirname, 'fixtures');

/** A record from test/fixtures/cloudtrail, e.g. "DeleteSecret/invictus-awsds-1.json". */
export function sampleRecord(relativePath: string): CloudTrailRecord {
  return JSON.parse(readFileSync(path.join(FIXTURES, relativePath), 'utf8')) as CloudTrailRecord;
}

/** A record from test/integration/fixtures (see SOURCES.md there). */
export function integrationRecord(file: string): CloudTrailRecord {
  return JSON.parse(readFileSync(path.join(OWN_FIXTURES, file), 'utf8')) as CloudTrailRecord;
}

export function detailTypeOf(record: CloudTrailRecord): string {
  return record.eventType === 'AwsServiceEvent' ? 'AWS Service Event via CloudTrail' : 'AWS API Call via CloudTrail';
}

/** "secretsmanager.amazonaws.com" -> "aws.secretsmanager" */
export function sourceOf(record: CloudTrailRecord): string {
  return `aws.${record.eventSource.split('.')[0]}`;
}

function accountOf(record: CloudTrailRecord): string {
  const identity = record.userIdentity as { accountId?: string } | null | undefined;
  const fromArn = /arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(JSON.stringify(record))?.[1];
  return (record.recipientAccountId as string | undefined) ?? identity?.accountId ?? fromArn ?? '';
}

/** The envelope EventBridge delivers a CloudTrail record in: `detail` is the record, unchanged. */
export function envelopeOf(record: CloudTrailRecord): Envelope {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailTypeOf(record),
    source: sourceOf(record),
    account: accountOf(record),
    time: record.eventTime,
    region: (record.awsRegion as string | undefined) ?? '',
    resources: [],
    detail: record,
  };
}

/**
 * The Panther PutResourcePolicy record, now, as if `policy` had just been put on the secret `arn`
 * (named prod/db) in the given account and region; `secretId` as the caller named it (default: the ARN).
 */
export function putResourcePolicyRecord(where: { account: string; region: string; arn: string; secretId?: string }, policy: string, eventID: string): CloudTrailRecord {
  return {
    ...sampleRecord('PutResourcePolicy/panther-1.json'),
    eventID,
    eventTime: new Date().toISOString(),
    awsRegion: where.region,
    recipientAccountId: where.account,
    requestParameters: { secretId: where.secretId ?? where.arn, resourcePolicy: policy },
    responseElements: { arn: where.arn, name: 'prod/db' },
  };
}
