import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GunzipMembers } from './gunzip';

/** Extensions picked up when a directory is given; a file named on the command line is read whatever its name. */
const DATA_FILE = /\.(json|jsonl|ndjson)(\.gz)?$/i;

export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly path: string,
    readonly reason: 'not-found' | 'unreadable' | 'not-gzip' | 'corrupt-gzip' | 'not-a-file',
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** Expands directories (recursively, sorted, not following links) into data files. */
export async function* listInputFiles(paths: readonly string[]): AsyncGenerator<string | InputFileError> {
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      yield new InputFileError(path, code === 'ENOENT' ? 'not-found' : 'unreadable', code === 'ENOENT' ? 'no such file or directory' : (error as Error).message);
      continue;
    }
    if (info.isFile()) yield path;
    else if (info.isDirectory()) yield* walk(path);
    else yield new InputFileError(path, 'not-a-file', 'not a regular file or directory');
  }
}

async function* walk(dir: string): AsyncGenerator<string | InputFileError> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield new InputFileError(dir, 'unreadable', (error as Error).message);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile() && DATA_FILE.test(entry.name)) yield path;
  }
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export interface OpenedInput {
  stream: Readable;
  /** Compressed bytes read so far: what progress is measured in. */
  bytesRead(): number;
  size: number;
}

/** Something worth telling the reader that loses no record: bytes after the last gzip member, say. */
export type InputWarning = (message: string) => void;

/** Opens a data file, gunzipping by content (magic bytes), not by name. */
export async function openInput(path: string, highWaterMark = 1 << 20, warn: InputWarning = () => {}): Promise<OpenedInput> {
  let gz: boolean;
  let size: number;
  try {
    size = (await stat(path)).size;
    gz = await isGzip(path);
  } catch (error) {
    throw new InputFileError(path, 'unreadable', (error as Error).message);
  }
  if (!gz && /\.gz$/i.test(path)) throw new InputFileError(path, 'not-gzip', 'name ends in .gz but the content is not gzip');
  const file = createReadStream(path, { highWaterMark });
  if (!gz) return { stream: file, bytesRead: () => file.bytesRead, size };
  // A deep readable buffer lets zlib inflate ahead on the thread pool while the main thread splits.
  const gunzip = new GunzipMembers((bytes, members) => warn(`${bytes} byte(s) after the last of ${members} gzip member(s) are not gzip data: ignored, as gzip -d does`), highWaterMark);
  file.on('error', (error) => gunzip.destroy(error));
  file.pipe(gunzip);
  return { stream: gunzip, bytesRead: () => file.bytesRead, size };
}
