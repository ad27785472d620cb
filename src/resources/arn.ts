/** A 12-digit account id, and a region name such as eu-west-1 or us-gov-west-1. */
export const ACCOUNT_ID = /^\d{12}$/;
export const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** An ARN's parts: arn:<partition>:<service>:<region>:<account>:<resource>. */
export interface ArnParts {
  partition: string;
  service: string;
  /** Empty for global services (IAM). */
  region: string;
  /** Empty for AWS managed resources (arn:aws:iam::aws:policy/...) it is "aws". */
  account: string;
  /** Everything after the fifth colon, e.g. "secret:prod/db-a1b2c3" or "role/ci". */
  resource: string;
}

const ARN = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):([a-z0-9]*):(.+)$/;

/**
 * The one ARN parser: every ARN that reaches the code comes from outside (CloudTrail, a listing,
 * a setting), so anything that is not an ARN in one of AWS's partitions is null, never a guess.
 */
export function parseArn(value: unknown): ArnParts | null {
  if (typeof value !== 'string') return null;
  const m = ARN.exec(value);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : null;
}

/** The account an ARN belongs to, when it is a 12-digit account id. */
export function accountOfArn(value: unknown): string | null {
  const account = parseArn(value)?.account ?? '';
  return ACCOUNT_ID.test(account) ? account : null;
}

/** The partition of an ARN (aws, aws-cn, aws-us-gov, ...), or "aws" when it names none. */
export function partitionOfArn(value: unknown): string {
  return parseArn(value)?.partition ?? 'aws';
}
