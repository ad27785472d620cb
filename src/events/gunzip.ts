import { types } from 'node:util';
import { constants, crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/** Why a gzip stream could not be read; the caller reports it as a corrupt file. */
export class GzipFormatError extends Error {
  override readonly name = 'GzipFormatError';
  readonly code = 'Z_DATA_ERROR';
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;
const FRESERVED = 0xe0;
const TRAILER_BYTES = 8;

/** The length of the member header at the start of `buf`; 0 when more bytes are needed; -1 when it is not a gzip header. */
function headerLength(buf: Buffer): number {
  if (buf.length >= 1 && buf[0] !== 0x1f) return -1;
  if (buf.length >= 2 && buf[1] !== 0x8b) return -1;
  if (buf.length >= 3 && buf[2] !== 8) return -1;
  if (buf.length >= 4 && (buf[3] & FRESERVED) !== 0) return -1;
  if (buf.length < 10) return 0;
  const flags = buf[3];
  let at = 10;
  if (flags & FEXTRA) {
    if (buf.length < at + 2) return 0;
    at += 2 + buf.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const end = buf.indexOf(0, at);
    if (end === -1) return 0;
    at = end + 1;
  }
  if (flags & FHCRC) at += 2;
  return buf.length >= at ? at : 0;
}

/** Where inflated bytes go, piece by piece; a piece is valid only until the call returns (its memory is reused). */
export type InflatedSink = (bytes: Buffer) => void;

/** One member's deflate data through zlib's raw inflate, which stops at the member's end. */
interface MemberInflater {
  /** Inflates `input` into the sink: how many bytes of it follow the end of the deflate data, or -1 while the data goes on. */
  write(input: Buffer): number | Promise<number>;
  close(): void;
}

/** The part of zlib's native handle that node's own synchronous inflate (inflateRawSync) drives. */
interface ZlibHandle {
  writeSync(flush: number, input: Buffer, inputOffset: number, inputLength: number, output: Buffer, outputOffset: number, outputLength: number): void;
}

/**
 * Inflates on this thread, straight into memory the reader gives (`area`), with the handle under
 * node's zlib stream, as node's inflateRawSync does: no thread-pool hand-off, no fresh buffer per
 * piece, and the bytes still in this core's cache when they are checked and split. On a 2-core
 * machine a replay of 230 MB takes a fifth less time than with zlib's stream (npm run bench),
 * whose inflating on the thread pool competes with the replay's own threads for the same cores.
 */
class HandleInflater implements MemberInflater {
  constructor(
    private readonly stream: InflateRaw,
    private readonly handle: ZlibHandle,
    /** zlib's [output room left, input bytes left] after each write. */
    private readonly state: Uint32Array,
    private readonly area: () => Buffer,
    private readonly sink: InflatedSink,
  ) {}

  write(input: Buffer): number {
    let offset = 0;
    let left = input.length;
    for (;;) {
      const out = this.area();
      // No room would have zlib make no progress, and this loop never end.
      if (out.length === 0) throw new RangeError('no memory to inflate into');
      this.handle.writeSync(constants.Z_NO_FLUSH, input, offset, left, out, 0, out.length);
      // zlib's error destroys the stream (and its handle) before writeSync returns.
      if (this.stream.errored) throw this.stream.errored;
      const room = this.state[0];
      offset += left - this.state[1];
      left = this.state[1];
      if (room < out.length) this.sink(out.subarray(0, out.length - room));
      // A full output may have more behind it; otherwise zlib stopped for want of input, or at the end of the data.
      if (room > 0) return left > 0 ? left : -1;
    }
  }

  close(): void {
    this.stream.destroy();
  }
}

/** zlib's stream, inflating on the thread pool: where node's handle is not what HandleInflater knows. */
class StreamInflater implements MemberInflater {
  /** Input bytes written to the stream. */
  private written = 0;
  private failure: Error | null = null;

  constructor(
    private readonly stream: InflateRaw,
    sink: InflatedSink,
  ) {
    stream.on('data', (out: Buffer) => {
      if (this.failure) return;
      try {
        sink(out);
      } catch (error) {
        // The reader's own error ends the member with it, not the process.
        this.failure = error as Error;
        stream.destroy(this.failure);
      }
    });
  }

  async write(input: Buffer): Promise<number> {
    const stream = this.stream;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => reject(this.failure ?? error);
      stream.once('error', fail);
      stream.write(input, (error) => {
        stream.off('error', fail);
        if (error || this.failure) reject(this.failure ?? error);
        else resolve();
      });
    });
    this.written += input.length;
    const left = this.written - stream.bytesWritten;
    if (left <= 0) return -1;
    // Raw inflate took fewer bytes than it was given: the data ended, and the stream ends its output.
    await new Promise<void>((resolve, reject) => {
      if (stream.readableEnded) resolve();
      stream.once('end', resolve);
      stream.once('error', (error) => reject(this.failure ?? error));
    });
    return left;
  }

  close(): void {
    this.stream.destroy();
  }
}

/** What zlib's stream hands on at a time, where it inflates. */
const STREAM_CHUNK_BYTES = 1 << 20;

/** A raw inflater whose errors reach the writer through write() only, never as an unhandled event. */
function quietInflateRaw(chunkSize?: number): InflateRaw {
  const stream = createInflateRaw(chunkSize ? { chunkSize } : {});
  stream.on('error', () => {});
  return stream;
}

/** zlib's handle and write state under a stream from createInflateRaw, or null where node keeps them otherwise. */
function handleOf(stream: InflateRaw): { handle: ZlibHandle; state: Uint32Array } | null {
  const internals = stream as unknown as { _handle?: { writeSync?: unknown }; _writeState?: unknown };
  const state = internals._writeState;
  if (typeof internals._handle?.writeSync !== 'function' || !types.isUint32Array(state) || state.length !== 2) return null;
  return { handle: internals._handle as ZlibHandle, state: state as Uint32Array };
}

export interface GunzipOptions {
  /** Bytes after the last member that do not start another one. */
  onTrailingGarbage(bytes: number, afterMembers: number): void;
  /**
   * Memory to inflate into, asked for before each piece and read by the sink before the next:
   * the reader's own (the splitter scans it where it lies). Without it, zlib's stream inflates.
   */
  area?: () => Buffer;
}

/**
 * Gunzip as `gzip -d` reads: every member of a concatenated file, each member's CRC and length
 * checked, and bytes after the last member that do not start another one (padding, a partial
 * upload, an appended signature) ignored with a warning instead of losing the whole file, which is
 * what zlib's own gunzip does. The deflate data of each member goes through zlib's raw inflate,
 * which stops at the member's end. The sink is called with each inflated piece as it comes, so
 * memory is one piece whatever the file inflates to.
 */
export class GunzipMembers {
  private state: 'header' | 'body' | 'trailer' | 'garbage' = 'header';
  /** Header or trailer bytes gathered across writes (a copy: the writer may reuse its buffer). */
  private pending: Buffer = Buffer.alloc(0);
  private inflater: MemberInflater | null = null;
  private crc = 0;
  private size = 0;
  private garbageBytes = 0;
  /** Members read whole. */
  members = 0;

  constructor(
    private readonly sink: InflatedSink,
    private readonly options: GunzipOptions,
  ) {}

  /** Takes the next compressed bytes; resolves once everything they inflate to has been through the sink. */
  async write(chunk: Buffer): Promise<void> {
    let data = chunk;
    while (data.length > 0) {
      switch (this.state) {
        case 'garbage':
          this.garbageBytes += data.length;
          return;
        case 'header': {
          const head = this.pending.length ? Buffer.concat([this.pending, data]) : data;
          const length = headerLength(head);
          if (length === 0) {
            this.pending = Buffer.from(head);
            return;
          }
          this.pending = Buffer.alloc(0);
          if (length < 0) {
            if (this.members === 0) throw new GzipFormatError('not a gzip header');
            this.state = 'garbage';
            this.garbageBytes = head.length;
            return;
          }
          data = head.subarray(length);
          this.startMember();
          break;
        }
        case 'body': {
          const left = await (this.inflater as MemberInflater).write(data);
          if (left < 0) return;
          this.inflater?.close();
          this.inflater = null;
          this.state = 'trailer';
          data = data.subarray(data.length - left);
          break;
        }
        case 'trailer': {
          const trailer = this.pending.length ? Buffer.concat([this.pending, data]) : data;
          if (trailer.length < TRAILER_BYTES) {
            this.pending = Buffer.from(trailer);
            return;
          }
          this.pending = Buffer.alloc(0);
          if (trailer.readUInt32LE(0) !== this.crc >>> 0) throw new GzipFormatError(`member ${this.members + 1}: CRC mismatch`);
          if (trailer.readUInt32LE(4) !== this.size % 2 ** 32) throw new GzipFormatError(`member ${this.members + 1}: length mismatch`);
          this.members++;
          data = trailer.subarray(TRAILER_BYTES);
          this.state = 'header';
          break;
        }
      }
    }
  }

  /** Call at the end of the input: throws when it ends inside a member. */
  end(): void {
    this.inflater?.close();
    this.inflater = null;
    if (this.state === 'garbage') {
      this.options.onTrailingGarbage(this.garbageBytes, this.members);
      return;
    }
    if (this.state === 'header' && this.pending.length === 0 && this.members > 0) return;
    if (this.state === 'header' && this.members > 0) {
      // A few stray bytes that could begin a header but never complete one: trailing garbage too.
      this.options.onTrailingGarbage(this.pending.length, this.members);
      return;
    }
    throw new GzipFormatError(this.members === 0 && this.state === 'header' ? 'not a complete gzip header' : 'unexpected end of file: the gzip data is truncated');
  }

  private startMember(): void {
    this.state = 'body';
    this.crc = 0;
    this.size = 0;
    const inflated: InflatedSink = (out) => {
      this.crc = crc32(out, this.crc);
      this.size += out.length;
      this.sink(out);
    };
    const area = this.options.area;
    const direct = area ? quietInflateRaw() : null;
    const internals = direct && handleOf(direct);
    if (area && direct && internals) this.inflater = new HandleInflater(direct, internals.handle, internals.state, area, inflated);
    else {
      direct?.destroy();
      this.inflater = new StreamInflater(quietInflateRaw(STREAM_CHUNK_BYTES), inflated);
    }
  }
}
