import * as z from 'zod';

// Loose objects: CloudTrail adds fields over time and the monitor must not reject a record for a
// field it does not use. Only the fields the checks read are typed; `null` is accepted wherever
// trimmed exports (e.g. Permiso's) write it for "absent".
const optionalString = z.string().nullish();
const jsonObject = z.record(z.string(), z.unknown());

export const userIdentitySchema = z.looseObject({
  type: optionalString,
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  userName: optionalString,
  invokedBy: optionalString,
  sessionContext: z
    .looseObject({
      sessionIssuer: z.looseObject({ type: optionalString, arn: optionalString, userName: optionalString }).nullish(),
    })
    .nullish(),
});

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: optionalString,
  eventID: optionalString,
  eventTime: z.string(),
  eventSource: optionalString,
  eventName: z.string().min(1),
  eventType: optionalString,
  awsRegion: optionalString,
  recipientAccountId: optionalString,
  userIdentity: userIdentitySchema.nullish(),
  sourceIPAddress: optionalString,
  userAgent: optionalString,
  requestParameters: jsonObject.nullish(),
  responseElements: jsonObject.nullish(),
  additionalEventData: jsonObject.nullish(),
  errorCode: optionalString,
  errorMessage: optionalString,
  readOnly: z.boolean().nullish(),
});

export const eventBridgeEnvelopeSchema = z.looseObject({
  version: optionalString,
  id: optionalString,
  'detail-type': z.string(),
  source: z.string(),
  account: optionalString,
  time: optionalString,
  region: optionalString,
  resources: z.array(z.string()).nullish(),
  detail: z.unknown(),
});

export type RawCloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;
export type UserIdentity = z.infer<typeof userIdentitySchema>;
