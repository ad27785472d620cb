import * as z from '../schema/zod';

// Loose objects: CloudTrail adds fields over time and the monitor must not reject a record for a
// field it does not use. Only the fields the checks read are typed; `null` is accepted wherever
// trimmed exports (e.g. Permiso's) write it for "absent".
const optionalString = z.nullish(z.string());
const jsonObject = z.record(z.string(), z.unknown());

export const userIdentitySchema = z.looseObject({
  type: optionalString,
  principalId: optionalString,
  arn: optionalString,
  accountId: optionalString,
  userName: optionalString,
  invokedBy: optionalString,
  sessionContext: z.nullish(
    z.looseObject({
      sessionIssuer: z.nullish(z.looseObject({ type: optionalString, arn: optionalString, userName: optionalString })),
    }),
  ),
});

export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: optionalString,
  eventID: optionalString,
  eventTime: z.string(),
  eventSource: optionalString,
  eventName: z.string().check(z.minLength(1)),
  eventType: optionalString,
  awsRegion: optionalString,
  recipientAccountId: optionalString,
  userIdentity: z.nullish(userIdentitySchema),
  sourceIPAddress: optionalString,
  userAgent: optionalString,
  requestParameters: z.nullish(jsonObject),
  responseElements: z.nullish(jsonObject),
  additionalEventData: z.nullish(jsonObject),
  errorCode: optionalString,
  errorMessage: optionalString,
  readOnly: z.nullish(z.boolean()),
});

export const eventBridgeEnvelopeSchema = z.looseObject({
  version: optionalString,
  id: optionalString,
  'detail-type': z.string(),
  source: z.string(),
  account: optionalString,
  time: optionalString,
  region: optionalString,
  resources: z.nullish(z.array(z.string())),
  detail: z.unknown(),
});

export type RawCloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;
export type UserIdentity = z.infer<typeof userIdentitySchema>;
