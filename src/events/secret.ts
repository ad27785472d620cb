import type { CloudTrailRecord } from './record';

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]*):([^:]*):secret:(.+)$/;
/** Secrets Manager appends "-" and six random characters to a secret's name to make its ARN. */
const ARN_SUFFIX = /-[A-Za-z0-9]{6}$/;

export interface SecretRef {
  arn: string | null;
  name: string | null;
  /** As the caller gave it: a name, a full ARN or a partial ARN. */
  id: string | null;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

export function isSecretArn(value: string): boolean {
  return SECRET_ARN.test(value);
}

export function accountFromArn(value: unknown): string | null {
  const s = str(value);
  if (!s) return null;
  const m = SECRET_ARN.exec(s);
  return m && m[2] ? m[2] : null;
}

/** The secret's name from a full ARN; null for a partial ARN that has no random suffix. */
export function nameFromArn(arn: string): string | null {
  const m = SECRET_ARN.exec(arn);
  if (!m || !ARN_SUFFIX.test(m[3])) return null;
  return m[3].replace(ARN_SUFFIX, '');
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
