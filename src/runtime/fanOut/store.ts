import { gunzipSync, gzipSync } from 'node:zlib';
import type { ScanResult } from '../scan';
import type { ScanUnit, UnitOutcome } from './units';

/** A fanned-out central scan, as the coordinating invocation recorded it. */
export interface ScanRun {
  run: string;
  /** Units to wait for, the coordinator's own scan included. */
  total: number;
  /** Units stored so far. */
  done: number;
  scannedAt: string;
  fullDigest: boolean;
  /** The central function's region and account. */
  region: string | null;
  account: string | null;
}

/** Where the units' results wait for the assembling step (with a time to live: nothing is kept past the next scans). */
export interface ScanRunStore {
  /** Records the run; false: it exists already (a retried coordinating invocation), and is left as it is. */
  createRun(run: Omit<ScanRun, 'done'>): Promise<boolean>;
  getRun(run: string): Promise<ScanRun | null>;
  /** Stores a unit's outcome once; false: that unit was stored already (a message delivered twice), and nothing is counted. */
  putUnit(run: string, key: string, outcome: UnitOutcome): Promise<boolean>;
  /** True for exactly one caller, once every unit is stored: that caller has the run assembled. */
  claimAssembly(run: string): Promise<boolean>;
  /** Gives the claim back (the assembling step could not be started), so that a retry may claim it. */
  releaseAssembly(run: string): Promise<void>;
  /** The keys of the units stored so far (a resumed run queues only the others). */
  storedKeys(run: string): Promise<Set<string>>;
  /** Every stored unit, the coordinator's own scan under OWN_UNIT_KEY. */
  units(run: string): AsyncIterable<{ key: string; outcome: UnitOutcome }>;
}

/** Starts the assembling step of a run whose units are all stored (the scan function, invoked asynchronously). */
export type AssemblyTrigger = (run: string) => Promise<void>;

/** Sends units to the scan workers' queue. */
export type UnitQueue = (units: readonly ScanUnit[]) => Promise<void>;

/** A unit's outcome as bytes: JSON, gzipped (findings repeat their field names: a tenth of the size). */
export function encodeOutcome(outcome: UnitOutcome): Buffer {
  return gzipSync(JSON.stringify(outcome));
}

export function decodeOutcome(bytes: Uint8Array): UnitOutcome {
  const outcome = JSON.parse(gunzipSync(bytes).toString('utf8')) as UnitOutcome;
  // The one Date of a scan result: JSON made it a string.
  if (outcome.status === 'scanned') (outcome.result as ScanResult).judgedAt = new Date(outcome.result.judgedAt);
  return outcome;
}
