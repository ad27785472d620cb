/** Why an input could not be turned into a CloudTrail record. Stable codes: logs and tests key on them. */
export type InvalidEventReason = 'invalid-json' | 'not-an-object' | 'missing-detail' | 'not-cloudtrail' | 'schema' | 'out-of-range' | 'record-too-large';

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  constructor(
    readonly reason: InvalidEventReason,
    message: string,
    /** The record's eventID when it could be read, so that a rejected record can be found in the trail. */
    readonly eventId: string | null = null,
  ) {
    super(message);
  }
}
