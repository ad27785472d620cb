import type { CloudTrailRecord } from '../../events/record';

/** `recoveryWindowInDays` absent means the API default, 30; a value the API would refuse (parsing rejects it on an accepted call) reads as that default too. */
export function recoveryWindowDays(record: CloudTrailRecord): number {
  const value = record.requestParameters.recoveryWindowInDays;
  const days = typeof value === 'string' ? Number(value) : value;
  return typeof days === 'number' && Number.isInteger(days) && days >= 7 && days <= 30 ? days : 30;
}

export function isForceDelete(record: CloudTrailRecord): boolean {
  const value = record.requestParameters.forceDeleteWithoutRecovery;
  return value === true || value === 'true';
}
