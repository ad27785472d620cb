// A replay worker thread (bundled as dist/replay-worker.js): replays the files the main thread
// sends, one at a time, and answers with what each gave.
import { parentPort, workerData } from 'node:worker_threads';
import { optionsOf, replayFileOutcome } from './fileOutcome';
import type { FileReplayOptions } from './engine';
import type { WorkerMessage, WorkerReply, WorkerRequest, WorkerSettings } from './workerProtocol';

// A thread started ahead of the command line being read (bin/secretwatch.js) is told its settings
// by its first message; one started by the replay has them from the start.
let options: FileReplayOptions | null = workerData ? optionsOf(workerData as WorkerSettings) : null;

function send(reply: WorkerReply): void {
  parentPort?.postMessage(reply);
}

async function replayFile({ index, file }: WorkerRequest): Promise<void> {
  if (!options) throw new Error('a file to replay came before the settings');
  const outcome = await replayFileOutcome(file, options, {
    started: (size) => send({ type: 'started', index, size }),
    progress: (bytesRead) => send({ type: 'progress', index, bytesRead }),
  });
  send({ type: 'done', index, outcome });
}

// One file at a time, in the order they came: the main thread sends the next one while this one is
// replayed, so the thread never waits between files. A replay that throws (a fault, not bad input,
// which replay reports itself) ends the thread with the error, and the main thread reports the
// files it held as failed.
let queue = Promise.resolve();
parentPort?.on('message', (message: WorkerMessage) => {
  if ('settings' in message) options = optionsOf(message.settings);
  else queue = queue.then(() => replayFile(message));
});
