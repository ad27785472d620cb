import type { Config } from '../../config/config';
import type { InputFileError } from '../../events/files';
import type { Severity } from '../../findings/severity';
import type { FileItem, FileStats } from './engine';

/** What every replay worker is started with: the replay's options, as data a thread can receive. */
export interface WorkerSettings {
  config: Config;
  sinceMs: number | null;
  untilMs: number | null;
  minSeverity: Severity | null;
  nowMs: number;
}

/** What the main thread sends a worker: its settings (to a thread started before they were known), then files. */
export type WorkerMessage = { settings: WorkerSettings } | WorkerRequest;

/** One file to replay; `index` is its place in the listing, which orders the output. */
export interface WorkerRequest {
  index: number;
  file: string;
}

/**
 * A file's item as it crosses between threads: everything is plain data but the read error, an
 * InputFileError, which a thread cannot send as its class; it travels as its parts.
 */
export type WireItem = Exclude<FileItem, { kind: 'failed' }> | { kind: 'failed'; path: string; reason: InputFileError['reason']; message: string; partly: boolean };

/** What the replay of one file gave, in the order it gave it. `listed`: false for a path the listing itself refused. */
export interface FileOutcome {
  listed: boolean;
  stats: FileStats;
  items: WireItem[];
}

export type WorkerReply = { type: 'started'; index: number; size: number } | { type: 'progress'; index: number; bytesRead: number } | { type: 'done'; index: number; outcome: FileOutcome };
