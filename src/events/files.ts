import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GunzipMembers, type InflatedSink } from './gunzip';

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

export interface OpenedInput {
  /**
   * Reads the file to its end, handing its data (inflated, when it is gzip) to `sink` piece by
   * piece; a piece is valid only until the sink returns. Rejects with what stopped it, after every
   * piece before.
   */
  read(sink: InflatedSink): Promise<void>;
  /** Compressed bytes read so far: what progress is measured in. */
  bytesRead(): number;
  size: number;
}

/** Something worth telling the reader that loses no record: bytes after the last gzip member, say. */
export type InputWarning = (message: string) => void;

export interface InputOptions {
  /** Bytes read from the file at a time. */
  readBytes?: number;
  warn?: InputWarning;
  /** Called after each read from the file, with the bytes read so far. */
  progress?(bytesRead: number): void;
  /** Memory to inflate into (the sink's own, where it reads fastest); see GunzipOptions.area. */
  area?: () => Buffer;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Opens a data file, gunzipping by content (magic bytes), not by name. */
export async function openInput(path: string, { readBytes = 1 << 20, warn = () => {}, progress, area }: InputOptions = {}): Promise<OpenedInput> {
  let handle: FileHandle;
  let size: number;
  let head: Buffer;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputFileError(path, 'unreadable', (error as Error).message);
  }
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(GZIP_MAGIC.length);
    await handle.read(head, 0, head.length, 0);
  } catch (error) {
    await handle.close();
    throw new InputFileError(path, 'unreadable', (error as Error).message);
  }
  const gz = head.equals(Buffer.from(GZIP_MAGIC));
  if (!gz && /\.gz$/i.test(path)) {
    await handle.close();
    throw new InputFileError(path, 'not-gzip', 'name ends in .gz but the content is not gzip');
  }
  let bytesRead = 0;
  const read = async (sink: InflatedSink) => {
    const gunzip = gz
      ? new GunzipMembers(sink, {
          onTrailingGarbage: (bytes, members) => warn(`${bytes} byte(s) after the last of ${members} gzip member(s) are not gzip data: ignored, as gzip -d does`),
          area,
        })
      : null;
    // One buffer for every read: the gunzip and the sink are done with a read's bytes (what the
    // gunzip keeps, it copies) before the next. Sized to what the file holds, so a small file costs a
    // small buffer; one that grew is read on.
    const buffer = Buffer.allocUnsafe(Math.min(readBytes, Math.max(size, 4096)));
    try {
      for (;;) {
        const { bytesRead: n } = await handle.read(buffer, 0, buffer.length, bytesRead);
        if (n === 0) break;
        bytesRead += n;
        const data = buffer.subarray(0, n);
        if (gunzip) await gunzip.write(data);
        else sink(data);
        progress?.(bytesRead);
      }
      gunzip?.end();
    } finally {
      await handle.close();
    }
  };
  return { read, bytesRead: () => bytesRead, size };
}
