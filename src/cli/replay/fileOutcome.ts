import { replay, type ReplayOptions } from './engine';
import type { FileOutcome, FileReplayEvent, WorkerSettings } from './workerProtocol';

/** A file's progress is reported at most once per this many compressed bytes: a message per chunk would cost more than the chunk. */
const PROGRESS_STEP_BYTES = 1 << 20;

export function settingsOf(options: ReplayOptions, now: Date): WorkerSettings {
  return {
    config: options.config,
    sinceMs: options.since?.getTime() ?? null,
    untilMs: options.until?.getTime() ?? null,
    minSeverity: options.minSeverity ?? null,
    nowMs: now.getTime(),
  };
}

export function optionsOf(settings: WorkerSettings): ReplayOptions {
  return {
    config: settings.config,
    since: settings.sinceMs === null ? undefined : new Date(settings.sinceMs),
    until: settings.untilMs === null ? undefined : new Date(settings.untilMs),
    minSeverity: settings.minSeverity ?? undefined,
    now: new Date(settings.nowMs),
  };
}

export interface FileListener {
  started(size: number): void;
  progress(bytesRead: number): void;
}

/**
 * One file through the single-threaded replay, what it gives kept in order rather than passed on:
 * the parallel replay passes it on once every earlier file's is out.
 */
export async function replayFileOutcome(file: string, options: ReplayOptions, listener: FileListener): Promise<FileOutcome> {
  const events: FileReplayEvent[] = [];
  let reported = 0;
  const stats = await replay([file], options, {
    finding: (finding) => events.push({ kind: 'finding', finding }),
    invalidRecord: (path, reason, message, offset, eventId) => events.push({ kind: 'invalid', file: path, reason, message, offset, eventId }),
    fileFailed: (error) => events.push({ kind: 'failed', path: error.path, reason: error.reason, message: error.message.slice(error.path.length + 2) }),
    fileStarted: (_path, size) => listener.started(size),
    progress: (bytesRead) => {
      if (bytesRead - reported < PROGRESS_STEP_BYTES) return;
      reported = bytesRead;
      listener.progress(bytesRead);
    },
  });
  return { stats, events };
}
