import type { CloudTrailRecord } from '../../events/record';

const LAMBDA_ARN = /arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?/;
const STEP = /\b(createSecret|setSecret|testSecret|finishSecret)\b/;
/** How far before and after the event to read the function's logs: rotation steps run for minutes at most. */
const LOG_WINDOW_BEFORE_MS = 15 * 60_000;
const LOG_WINDOW_AFTER_MS = 5 * 60_000;

export interface RotationFunction {
  arn: string;
  name: string;
  /** Lambda's default log group for the function (a function can be configured to log elsewhere). */
  logGroup: string;
}

export function rotationFunctionOf(arn: string | null | undefined): RotationFunction | null {
  const match = typeof arn === 'string' ? LAMBDA_ARN.exec(arn) : null;
  if (!match) return null;
  const name = match[0].split(':')[6];
  return { arn: match[0], name, logGroup: `/aws/lambda/${name}` };
}

/**
 * The failing rotation function and step, from what the event says: RotationFailed names both in
 * its errorMessage ("Error when executing lambda <arn> during setSecret step"); a failed
 * RotateSecret call carries the function the caller asked for.
 */
export function failedRotation(record: CloudTrailRecord): { fn: RotationFunction | null; step: string | null } {
  const message = record.errorMessage ?? '';
  const requested = record.requestParameters.rotationLambdaARN;
  const fn = rotationFunctionOf(message) ?? rotationFunctionOf(typeof requested === 'string' ? requested : null);
  return { fn, step: STEP.exec(message)?.[1] ?? null };
}

/** The window of the function's logs worth reading for an event, as CloudWatch Logs wants it (epoch ms). */
export function logWindow(eventTime: string): { startMs: number; endMs: number } {
  const at = Date.parse(eventTime);
  return { startMs: at - LOG_WINDOW_BEFORE_MS, endMs: at + LOG_WINDOW_AFTER_MS };
}
