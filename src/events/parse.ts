import type * as z from '../schema/zod';
import { InvalidEventError } from './errors';
import { API_CALL, SERVICE_EVENT, type CloudTrailRecord, type EventBridgeEvent, type ParsedEvent } from './record';
import { cloudTrailRecordSchema, eventBridgeEnvelopeSchema, type RawCloudTrailRecord } from './schema';
import { checkAcceptedCallRanges } from './ranges';
import { normalizeEventTime } from './time';
import { accountFromArn } from './secret';

/** EventBridge's own limit on an event; no genuine CloudTrail record comes near it. */
export const MAX_RECORD_BYTES = 1024 * 1024;

const CLOUDTRAIL_DETAIL_TYPES = new Set([API_CALL, SERVICE_EVENT, 'AWS Console Sign In via CloudTrail', 'AWS Console Action via CloudTrail']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeIssues(error: z.core.$ZodError, prefix: string): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function eventIdOf(value: unknown): string | null {
  return isObject(value) && typeof value.eventID === 'string' ? value.eventID : null;
}

/** JSON text of one event or record; a size guard first, so a hostile 100 MB line costs nothing. */
export function parseEventText(text: string): ParsedEvent {
  if (text.length > MAX_RECORD_BYTES) {
    throw new InvalidEventError('record-too-large', `record is ${text.length} bytes; the limit is ${MAX_RECORD_BYTES}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidEventError('invalid-json', `not valid JSON: ${(error as Error).message}`);
  }
  return parseEvent(value);
}

/**
 * Accepts an EventBridge envelope or a bare CloudTrail record and returns both views: the
 * envelope (what rules match, built as EventBridge would for a bare record) and the normalised record.
 */
export function parseEvent(input: unknown): ParsedEvent {
  if (!isObject(input)) {
    throw new InvalidEventError('not-an-object', `expected a JSON object, got ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`);
  }
  if ('detail-type' in input || ('source' in input && 'detail' in input)) return parseEnvelope(input);
  if ('eventName' in input || 'eventSource' in input || 'eventVersion' in input) return parseBareRecord(input);
  throw new InvalidEventError('not-cloudtrail', 'neither an EventBridge event nor a CloudTrail record (no detail-type, no eventName)');
}

function parseEnvelope(input: Record<string, unknown>): ParsedEvent {
  if (input.detail === undefined || input.detail === null) {
    throw new InvalidEventError('missing-detail', 'EventBridge event has no detail', typeof input.id === 'string' ? input.id : null);
  }
  const parsed = eventBridgeEnvelopeSchema.safeParse(input);
  const detailId = eventIdOf(input.detail);
  if (!parsed.success) throw new InvalidEventError('schema', describeIssues(parsed.error, ''), detailId);
  const env = parsed.data;
  if (!CLOUDTRAIL_DETAIL_TYPES.has(env['detail-type'])) {
    throw new InvalidEventError('not-cloudtrail', `detail-type "${env['detail-type']}" is not a CloudTrail event`, detailId);
  }
  if (!isObject(env.detail)) throw new InvalidEventError('schema', 'detail: expected an object', null);
  const fallbackSource = env.source.startsWith('aws.') ? `${env.source.slice(4)}.amazonaws.com` : env.source;
  const record = normalizeRecord(env.detail, { source: fallbackSource, account: env.account ?? null, region: env.region ?? null });
  const envelope: EventBridgeEvent = {
    version: env.version ?? '0',
    id: env.id ?? record.eventId ?? '',
    'detail-type': env['detail-type'],
    source: env.source,
    account: env.account ?? record.account ?? '',
    time: env.time ?? record.eventTime,
    region: env.region ?? record.region ?? '',
    resources: env.resources ?? [],
    detail: env.detail,
  };
  return { envelope, record };
}

function parseBareRecord(input: Record<string, unknown>): ParsedEvent {
  const record = normalizeRecord(input, { source: null, account: null, region: null });
  const envelope: EventBridgeEvent = {
    version: '0',
    id: record.eventId ?? '',
    'detail-type': record.eventType === 'AwsServiceEvent' ? SERVICE_EVENT : API_CALL,
    source: `aws.${record.eventSource.split('.')[0]}`,
    account: record.account ?? '',
    time: record.eventTime,
    region: record.region ?? '',
    resources: [],
    detail: input,
  };
  return { envelope, record };
}

interface Fallbacks {
  source: string | null;
  account: string | null;
  region: string | null;
}

function normalizeRecord(input: Record<string, unknown>, fallback: Fallbacks): CloudTrailRecord {
  const eventId = eventIdOf(input);
  const parsed = cloudTrailRecordSchema.safeParse(input);
  if (!parsed.success) throw new InvalidEventError('schema', describeIssues(parsed.error, ''), eventId);
  const raw: RawCloudTrailRecord = parsed.data;
  const eventSource = raw.eventSource ?? fallback.source;
  if (!eventSource) throw new InvalidEventError('schema', 'eventSource: missing', eventId);
  const eventTime = normalizeEventTime(raw.eventTime);
  if (!eventTime) throw new InvalidEventError('schema', `eventTime: not a timestamp: ${JSON.stringify(raw.eventTime.slice(0, 40))}`, eventId);
  const requestParameters = raw.requestParameters ?? {};
  const responseElements = raw.responseElements ?? {};
  const additionalEventData = raw.additionalEventData ?? {};
  if (!raw.errorCode) checkAcceptedCallRanges(requestParameters, responseElements, eventId);
  return {
    eventId: raw.eventID ?? null,
    eventName: raw.eventName,
    eventSource,
    eventTime,
    eventType: raw.eventType ?? null,
    region: raw.awsRegion ?? fallback.region,
    account:
      raw.recipientAccountId ??
      fallback.account ??
      raw.userIdentity?.accountId ??
      accountFromArn(responseElements.arn ?? responseElements.aRN ?? requestParameters.secretId ?? additionalEventData.SecretId),
    userIdentity: raw.userIdentity ?? null,
    sourceIp: raw.sourceIPAddress ?? null,
    userAgent: raw.userAgent ?? null,
    requestParameters,
    responseElements,
    additionalEventData,
    errorCode: raw.errorCode ?? null,
    errorMessage: raw.errorMessage ?? null,
  };
}
