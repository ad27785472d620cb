import { InputFileError } from '../../events/files';
import { type FileItem, type FileReplayOptions, replayFile } from './engine';
import type { FileOutcome, WireItem, WorkerSettings } from './workerProtocol';

/** A file's progress is reported at most once per this many compressed bytes: a message per chunk would cost more than the chunk. */
const PROGRESS_STEP_BYTES = 1 << 20;

export function settingsOf(options: FileReplayOptions): WorkerSettings {
  return {
    config: options.config,
    sinceMs: options.since?.getTime() ?? null,
    untilMs: options.until?.getTime() ?? null,
    minSeverity: options.minSeverity ?? null,
    nowMs: options.now.getTime(),
  };
}

export function optionsOf(settings: WorkerSettings): FileReplayOptions {
  return {
    config: settings.config,
    since: settings.sinceMs === null ? undefined : new Date(settings.sinceMs),
    until: settings.untilMs === null ? undefined : new Date(settings.untilMs),
    minSeverity: settings.minSeverity ?? undefined,
    now: new Date(settings.nowMs),
  };
}

export function toWire(item: FileItem): WireItem {
  if (item.kind !== 'failed') return item;
  const { path, reason, message } = item.error;
  return { kind: 'failed', path, reason, message: message.slice(path.length + 2), partly: item.partly };
}

export function fromWire(item: WireItem): FileItem {
  if (item.kind !== 'failed') return item;
  return { kind: 'failed', error: new InputFileError(item.path, item.reason, item.message), partly: item.partly };
}

export interface FileListener {
  started(size: number): void;
  progress(bytesRead: number): void;
}

/**
 * One file through the single-threaded replay's own per-file step, what it gives kept in order
 * rather than passed on: the parallel replay passes it on once every earlier file's is out.
 */
export async function replayFileOutcome(file: string, options: FileReplayOptions, listener: FileListener): Promise<FileOutcome> {
  const items: WireItem[] = [];
  let reported = 0;
  const stats = await replayFile(file, options, (item) => items.push(toWire(item)), {
    started: (size) => listener.started(size),
    progress: (bytesRead) => {
      if (bytesRead - reported < PROGRESS_STEP_BYTES) return;
      reported = bytesRead;
      listener.progress(bytesRead);
    },
  });
  return { listed: true, stats, items };
}
