import { isSecretArn, nameFromArn, type SecretRef } from '../resources/secret';
import { accountOfArn } from '../resources/arn';
import type { CloudTrailRecord } from './record';

export type { SecretRef };

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The account of a secret ARN; null for anything else. */
export function accountFromArn(value: unknown): string | null {
  const s = str(value);
  return s && isSecretArn(s) ? accountOfArn(s) : null;
}

/**
 * Which secret a record is about. `secretId` is a name or an ARN depending on the client;
 * responses name the ARN as `aRN` until February 2024 and `arn` after; service events put it in
 * `additionalEventData.SecretId`.
 */
export function secretOf(record: CloudTrailRecord): SecretRef {
  const req = record.requestParameters;
  const res = record.responseElements;
  const list = Array.isArray(req.secretIdList) ? req.secretIdList.map(str).filter((s): s is string => s !== null) : [];
  const id = str(req.secretId) ?? str(record.additionalEventData.SecretId) ?? list[0] ?? str(req.name) ?? null;
  const arn = str(res.arn) ?? str(res.aRN) ?? str(res.ARN) ?? (id && isSecretArn(id) ? id : null);
  const name = str(res.name) ?? (arn ? nameFromArn(arn) : null) ?? (id && !id.startsWith('arn:') ? id : null);
  return { arn, name, id: id ?? arn ?? name };
}
