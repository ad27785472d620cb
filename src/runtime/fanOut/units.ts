import * as z from '../../schema/zod';
import type { MemberScan, ScanTarget } from '../centralScan';

/**
 * One unit of a fanned-out central scan: one account in one region, scanned by one scan worker
 * invocation. `run` names the scan it belongs to; `scannedAt` is that scan's clock, so that every
 * unit judges its secrets as of the same moment.
 */
export interface ScanUnit extends ScanTarget {
  run: string;
  scannedAt: string;
}

/** The unit's message on the queue, as the worker receives it (hostile until parsed). */
export const scanUnitSchema = z.object({
  run: z.string().check(z.minLength(1), z.maxLength(200)),
  scannedAt: z.iso.datetime(),
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.nullable(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/))),
  readsIam: z.optional(z.boolean()),
});

/** The unit's place in the run: one per account and region, whatever the number of deliveries. */
export function unitKey(unit: { account: string | null; region: string | null }): string {
  return `${unit.account ?? '-'}#${unit.region ?? '-'}`;
}

/** The scan of the function's own account and region, done by the coordinating invocation itself. */
export const OWN_UNIT_KEY = 'own';

/**
 * A run's name: its scheduled time, to the minute, so that a retried coordinating invocation (the
 * same scheduled event) resumes the same run instead of starting another; a full digest asked for
 * by a person in the same minute is a run of its own.
 */
export function runName(scannedAt: Date, fullDigest: boolean): string {
  return `${scannedAt.toISOString()}${fullDigest ? '/full' : ''}`;
}

/** What a unit gave: its scan, or why it could not be scanned. */
export type UnitOutcome = MemberScan;
