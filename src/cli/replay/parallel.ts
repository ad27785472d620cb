import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputFileError, listInputFiles } from '../../events/files';
import { FindingWindow } from './dedup';
import { addFileStats, emptyFileStats, emptyStats, type FileReplayOptions, itemDeliverer, replay, type ReplayListener, type ReplayOptions, type ReplayStats } from './engine';
import { fromWire, replayFileOutcome, settingsOf } from './fileOutcome';
import type { FileOutcome, WorkerMessage, WorkerReply, WorkerRequest } from './workerProtocol';
import { startedEarly } from './earlyWorkers';

export interface ParallelReplayOptions extends ReplayOptions {
  /** Files replayed at once: this thread's one and each further one on a worker thread; 1: as `replay` does. */
  jobs: number;
  /** The worker entry (the bundled dist/replay-worker.js). */
  workerScript: string;
}

/**
 * The worker entry bundled next to the CLI (scripts/build-cli.js), or null when the CLI runs from
 * its TypeScript sources (tests), where a worker thread could not load them: then one thread.
 */
export function replayWorkerScript(): string | null {
  const script = join(__dirname, 'replay-worker.js');
  return existsSync(script) ? script : null;
}

/**
 * Files finished ahead of the oldest unfinished one are held until it is done: a window of this many
 * times the jobs bounds what waits in memory (each file's findings and diagnostics, never its data).
 */
const LOOKAHEAD_PER_JOB = 4;

/** A worker holds the file it replays and the next one. */
const WORKER_FILES_IN_HAND = 2;

/** A file whose replay broke down (a worker that died, a fault): reported as failed, never silently dropped. */
function failedOutcome(file: string, error: unknown): FileOutcome {
  // A worker's error comes from another realm: read its message rather than test its class.
  const reason = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
  const message = `the replay of this file failed: ${reason}`;
  return { listed: true, stats: { ...emptyFileStats(), failed: true }, items: [{ kind: 'failed', path: file, reason: 'unreadable', message, partly: false }] };
}

interface RunnerEvents {
  started(index: number, size: number): void;
  progress(index: number, bytesRead: number): void;
  done(index: number, outcome: FileOutcome): void;
}

/** Replays files, on this thread or on a worker thread. */
interface Runner {
  /** The files it holds (their indices in the listing), in the order it replays them. */
  held: number[];
  /** How many files it may hold at once. */
  capacity: number;
  start(index: number, file: string): void;
  stop(): void;
}

/**
 * This thread's runner, one file at a time: its replay waits on the same I/O as the workers', so
 * the main thread does its share.
 */
function threadRunner(options: FileReplayOptions, events: RunnerEvents): Runner {
  const runner: Runner = {
    held: [],
    capacity: 1,
    start(index, file) {
      runner.held.push(index);
      replayFileOutcome(file, options, { started: (size) => events.started(index, size), progress: (n) => events.progress(index, n) })
        .catch((error: unknown) => failedOutcome(file, error))
        .then((outcome) => {
          runner.held.splice(runner.held.indexOf(index), 1);
          events.done(index, outcome);
        });
    },
    stop() {},
  };
  return runner;
}

/**
 * A worker thread's runner. It holds the file it replays and the next one, so that it never waits
 * for this thread, which may be busy with a file of its own, to send more. One that dies fails the
 * files it held and is replaced (`replace`).
 */
function workerRunner(script: string, options: FileReplayOptions, events: RunnerEvents, replace: (dead: Runner) => void): Runner {
  const early = startedEarly(script);
  const worker = early ?? new Worker(script, { workerData: settingsOf(options) });
  if (early) early.postMessage({ settings: settingsOf(options) } satisfies WorkerMessage);
  let stopped = false;
  const paths = new Map<number, string>();
  const runner: Runner = {
    held: [],
    capacity: WORKER_FILES_IN_HAND,
    start(index, path) {
      runner.held.push(index);
      paths.set(index, path);
      const request: WorkerRequest = { index, file: path };
      worker.postMessage(request);
    },
    stop() {
      stopped = true;
      void worker.terminate();
    },
  };
  worker.on('message', (reply: WorkerReply) => {
    if (reply.type === 'started') events.started(reply.index, reply.size);
    else if (reply.type === 'progress') events.progress(reply.index, reply.bytesRead);
    else {
      runner.held.splice(runner.held.indexOf(reply.index), 1);
      paths.delete(reply.index);
      events.done(reply.index, reply.outcome);
    }
  });
  const died = (error: unknown) => {
    if (stopped) return;
    stopped = true;
    const lost = runner.held.splice(0);
    replace(runner);
    for (const index of lost) events.done(index, failedOutcome(paths.get(index) ?? '', error));
  };
  worker.on('error', died);
  worker.on('exit', (code) => died(new Error(`the worker thread exited with code ${code}`)));
  return runner;
}

/**
 * The replay over several files at once: each file is replayed whole by one runner (this thread,
 * and jobs - 1 worker threads) with the single-threaded replay, and what it gives (findings,
 * invalid records, a failure) is passed on in the order of the files, de-duplicated across files
 * as one replay would: the output is the same, byte for byte, whatever the number of jobs. Each
 * runner streams its file, so memory is the runners' buffers and what waits in the look-ahead
 * window, whatever the input size.
 */
export async function replayInParallel(paths: readonly string[], options: ParallelReplayOptions, listener: ReplayListener): Promise<ReplayStats> {
  const { jobs, workerScript, ...rest } = options;
  if (jobs <= 1) return replay(paths, rest, listener);
  // One clock for every runner, as for one replay.
  const replayOptions: FileReplayOptions = { config: rest.config, since: rest.since, until: rest.until, minSeverity: rest.minSeverity, now: rest.now ?? new Date() };
  const stats = emptyStats();
  const deliver = itemDeliverer(stats, listener, new FindingWindow(rest.dedupWindow));
  const files: string[] = [];
  /** Indices of listed files not yet given to a runner, in order. */
  const waiting: number[] = [];
  const outcomes = new Map<number, FileOutcome>();
  const sizes = new Map<number, number>();
  const bytesRead = new Map<number, number>();
  let compressedDone = 0;
  let nextToEmit = 0;
  let listingDone = false;

  const flush = () => {
    for (let outcome = outcomes.get(nextToEmit); outcome; outcome = outcomes.get(nextToEmit)) {
      outcomes.delete(nextToEmit);
      if (outcome.listed) stats.files++;
      addFileStats(stats, outcome.stats);
      for (const item of outcome.items) deliver(fromWire(item));
      compressedDone += sizes.get(nextToEmit) ?? 0;
      sizes.delete(nextToEmit);
      bytesRead.delete(nextToEmit);
      nextToEmit++;
    }
  };

  /** Compressed bytes read: of the files passed on, and of those being replayed or waiting their turn. */
  const reportProgress = () => {
    let inFlight = 0;
    for (const read of bytesRead.values()) inFlight += read;
    listener.progress?.(compressedDone + inFlight);
  };

  return new Promise<ReplayStats>((resolve, reject) => {
    const runners: Runner[] = [];
    let settled = false;

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      for (const runner of runners) runner.stop();
      if (error !== undefined) reject(error);
      else {
        stats.records = stats.skipped + stats.parsed + stats.invalid;
        resolve(stats);
      }
    };

    const pump = () => {
      if (settled) return;
      // The emptiest runner first: a file goes to a runner with nothing to do before one with a file in hand.
      for (let filled = 0; filled < WORKER_FILES_IN_HAND; filled++) {
        for (const runner of runners) {
          if (runner.held.length !== filled || runner.held.length >= runner.capacity) continue;
          const index = waiting[0];
          if (index === undefined || index - nextToEmit >= jobs * LOOKAHEAD_PER_JOB) break;
          waiting.shift();
          runner.start(index, files[index]);
        }
      }
      if (listingDone && nextToEmit === files.length) finish();
    };

    const events: RunnerEvents = {
      started(index, size) {
        sizes.set(index, size);
        listener.fileStarted?.(files[index], size);
      },
      progress(index, n) {
        bytesRead.set(index, n);
        reportProgress();
      },
      done(index, outcome) {
        // A file read whole counts whole, even one that ended before any progress of its own was reported.
        bytesRead.set(index, sizes.get(index) ?? 0);
        outcomes.set(index, outcome);
        flush();
        pump();
        reportProgress();
      },
    };
    // A worker that dies takes only its file with it: a new one takes its place.
    const replace = (dead: Runner) => {
      if (!settled) runners.splice(runners.indexOf(dead), 1, workerRunner(workerScript, replayOptions, events, replace));
    };

    // This thread first, then workers.
    const addRunner = () => runners.push(runners.length === 0 ? threadRunner(replayOptions, events) : workerRunner(workerScript, replayOptions, events, replace));
    // Every thread from the start, so that the workers start up while the files are listed (a
    // directory tree of an organisation trail is many reads deep); a single file needs no worker.
    if (!(paths.length === 1 && statSync(paths[0], { throwIfNoEntry: false })?.isFile())) {
      while (runners.length < jobs) addRunner();
    }

    (async () => {
      let index = 0;
      for await (const entry of listInputFiles(paths)) {
        if (entry instanceof InputFileError) {
          // A path that cannot be listed takes its place in the order, as it does in one replay.
          files.push(entry.path);
          const message = entry.message.slice(entry.path.length + 2);
          outcomes.set(index, { listed: false, stats: emptyFileStats(), items: [{ kind: 'failed', path: entry.path, reason: entry.reason, message, partly: false }] });
        } else {
          files.push(entry);
          waiting.push(index);
          if (runners.length < jobs) addRunner();
        }
        index++;
        flush();
        pump();
      }
      listingDone = true;
      flush();
      pump();
    })().catch(finish);
  });
}
