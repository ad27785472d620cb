import type { Config } from '../../config/config';
import type { InputFileError } from '../../events/files';
import type { Finding } from '../../findings/finding';
import type { Severity } from '../../findings/severity';
import type { ReplayStats } from './engine';

/** What every replay worker is started with: the replay's options, as data a thread can receive. */
export interface WorkerSettings {
  config: Config;
  sinceMs: number | null;
  untilMs: number | null;
  minSeverity: Severity | null;
  nowMs: number;
}

/** One file to replay; `index` is its place in the listing, which orders the output. */
export interface WorkerRequest {
  index: number;
  file: string;
}

/** What the replay of one file gave, in the order it gave it. */
export type FileReplayEvent =
  | { kind: 'finding'; finding: Finding }
  | { kind: 'invalid'; file: string; reason: string; message: string; offset: number; eventId: string | null }
  | { kind: 'failed'; path: string; reason: InputFileError['reason']; message: string };

export interface FileOutcome {
  stats: ReplayStats;
  events: FileReplayEvent[];
}

export type WorkerReply = { type: 'started'; index: number; size: number } | { type: 'progress'; index: number; bytesRead: number } | { type: 'done'; index: number; outcome: FileOutcome };
