import type { Worker } from 'node:worker_threads';

/**
 * Replay worker threads bin/secretwatch.js started before the CLI was loaded, so that they boot
 * while it loads and reads the command line (tens of milliseconds of a replay that takes half a
 * second). They wait for their settings; the replay takes them one by one, and any it does not
 * need end with the process.
 */
const EARLY_WORKERS = Symbol.for('secretwatch.earlyReplayWorkers');

interface EarlyWorkers {
  script: string;
  workers: Worker[];
}

/** A worker started early for `script`, now held open by the caller, or null. */
export function startedEarly(script: string): Worker | null {
  const early = (globalThis as { [EARLY_WORKERS]?: EarlyWorkers })[EARLY_WORKERS];
  if (!early || early.script !== script) return null;
  const worker = early.workers.shift() ?? null;
  worker?.ref();
  return worker;
}

/** Hands workers started early for `script` to the next replay (what bin/secretwatch.js does). */
export function offerEarlyWorkers(script: string, workers: Worker[]): void {
  (globalThis as { [EARLY_WORKERS]?: EarlyWorkers })[EARLY_WORKERS] = { script, workers };
}
