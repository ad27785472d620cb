import type { UserIdentity } from './schema';

/** One CloudTrail record, validated and normalised: the only shape the checks see. */
export interface CloudTrailRecord {
  eventId: string | null;
  eventName: string;
  /** e.g. "secretsmanager.amazonaws.com" (derived from the envelope's source when the record lacks it). */
  eventSource: string;
  /** ISO 8601, UTC, to the second. */
  eventTime: string;
  /** "AwsApiCall", "AwsServiceEvent", ... or null when the export trimmed it. */
  eventType: string | null;
  region: string | null;
  /** The account the event happened in: recipientAccountId, else the envelope's, else the secret ARN's. */
  account: string | null;
  userIdentity: UserIdentity | null;
  sourceIp: string | null;
  userAgent: string | null;
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown>;
  additionalEventData: Record<string, unknown>;
  errorCode: string | null;
  errorMessage: string | null;
}

/** The EventBridge envelope that CloudTrail records are delivered in; rules match against it. */
export interface EventBridgeEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface ParsedEvent {
  envelope: EventBridgeEvent;
  record: CloudTrailRecord;
}

export const API_CALL = 'AWS API Call via CloudTrail';
export const SERVICE_EVENT = 'AWS Service Event via CloudTrail';
