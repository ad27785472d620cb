import { MAX_RECORD_BYTES } from './parse';
import { ChunkScanner } from './chunkScanner';

/** What the splitter hands on: a record's JSON text, or why a piece of input is not one. */
export type SplitItem =
  | { kind: 'record'; text: string; offset: number; line: number }
  | { kind: 'invalid'; reason: 'invalid-json' | 'not-an-object' | 'record-too-large'; message: string; offset: number; line: number };

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const RECORDS_KEY = Buffer.from('Records');
/** The most a chunk put in the input area holds: small enough to stay in a core's cache between the passes over it. */
const INPUT_AREA_BYTES = 1 << 20;

/** What a byte is to the body of a record: most are nothing, and a lookup says so in one step. */
const OTHER = 0;
const STRING_START = 1;
const OPENS = 2;
const CLOSES = 3;
const LINE_BREAK = 4;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[QUOTE] = STRING_START;
BYTE_CLASS[OPEN_OBJECT] = OPENS;
BYTE_CLASS[OPEN_ARRAY] = OPENS;
BYTE_CLASS[CLOSE_OBJECT] = CLOSES;
BYTE_CLASS[CLOSE_ARRAY] = CLOSES;
BYTE_CLASS[NEWLINE] = LINE_BREAK;

/** 1 for the bytes a string goes on over; 0 for the quote, backslash and newline, which end, escape or cut it short. */
const PLAIN_IN_STRING = new Uint8Array(256).fill(1);
PLAIN_IN_STRING[QUOTE] = 0;
PLAIN_IN_STRING[BACKSLASH] = 0;
PLAIN_IN_STRING[NEWLINE] = 0;

function isSpace(c: number): boolean {
  return c === 0x20 || c === NEWLINE || c === 0x0d || c === 0x09;
}

/**
 * Splits a stream of CloudTrail data into records without parsing it: `{"Records": [...]}`
 * files, top-level arrays of records, single records or EventBridge events, and JSON Lines (any
 * number of top-level values). It tracks only nesting and strings, so it costs a pass over the
 * bytes; a record is handed on (and later parsed) only when its bytes contain `needle`, which is
 * how a replay of an organisation trail skips the 999 in 1,000 records that are not Secrets
 * Manager's. Where WebAssembly runs, the needles are found and the inside of each record is
 * scanned 32 or 16 bytes a step (ChunkScanner): three times the speed of the byte loops beside it,
 * which do the same where it does not and are what the tests hold it to.
 *
 * Memory is bounded by the chunk size plus one record (at most MAX_RECORD_BYTES): a larger
 * record is reported, not buffered.
 */
export class RecordSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  /** The depth that a record's opening brace brings us to: 1 top-level, 2 in a top-level array, 3 in Records. */
  private recordDepth = 1;
  private containerIsArray = false;
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private inRecord = false;
  private oversize = false;
  private recordOffset = 0;
  private recordLine = 1;
  /** Line numbers, for reports a person can open the file at: newlines counted up to lineCursor in the current chunk. */
  private newlines = 0;
  private lineCursor = 0;
  /** The next newline at or after lineCursor in the current chunk (-1: none; -2: not searched yet). */
  private nextLineBreak = -2;
  private scalarLine = 1;
  /** Matching a depth-1 key against "Records" as its bytes go by (keys can span chunks). */
  private keyIndex = -1;
  private lastKeyIsRecords = false;
  /** Once two top-level values were seen on separate lines, the input is JSON Lines: a newline inside a value means the line was cut short. */
  private jsonLines = false;
  private sawTopLevelValue = false;
  private sawNewlineAfterValue = false;
  private consumed = 0;
  private scalarStart = -1;
  /** Where a needle starts in the current chunk and where it ends, in order of start. */
  private readonly needles: number[] = [];
  private readonly needleEnds: number[] = [];
  private needleCursor = 0;
  private readonly needleList: readonly Buffer[];

  /** Searches for needles and scans the inside of records many bytes a step, where WebAssembly runs; else this class's own loops do. */
  private readonly scanner: ChunkScanner | null;
  /** The input area where the scanner cannot give one. */
  private ownArea: Buffer | null = null;

  /**
   * `needle`: a record is handed on when it holds one of these byte strings (one service's records,
   * or several's). `simd`: false keeps to the byte-by-byte loop (which the scanner must agree with).
   */
  constructor(needle: Buffer | readonly Buffer[] = Buffer.from('secretsmanager'), { simd = true }: { simd?: boolean } = {}) {
    this.needleList = Buffer.isBuffer(needle) ? [needle] : needle;
    const scanner = simd ? new ChunkScanner() : null;
    this.scanner = scanner?.available ? scanner : null;
  }

  /**
   * Memory to put the next chunk in before pushing it: the scanner's own, where it is scanned
   * without a copy. It is overwritten by the next chunk, so the chunk must be pushed first.
   */
  inputArea(): Buffer {
    const area = this.scanner?.area(INPUT_AREA_BYTES);
    if (area) return area;
    this.ownArea ??= Buffer.allocUnsafe(INPUT_AREA_BYTES);
    return this.ownArea;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.consumed;
  }

  /** Records handed on and records skipped by the needle. */
  skipped = 0;

  push(chunk: Buffer, out: SplitItem[]): void {
    const n = chunk.length;
    let start = this.inRecord ? 0 : -1;
    let i = 0;
    // Where the chunk cannot be had in the scanner's memory, holds() says so and this class's loops do the work.
    this.scanner?.load(chunk);
    this.findNeedles(chunk);
    while (i < n) {
      if (this.inRecord && this.depth >= 2) {
        i = this.scanRecordBody(chunk, i);
        if (i >= n) break;
      }
      const c = chunk[i];
      if (this.inString) {
        if (this.escape) {
          this.escape = false;
        } else if (c === BACKSLASH) {
          this.escape = true;
          this.keyIndex = -1;
        } else if (c === QUOTE) {
          this.inString = false;
          if (this.keyIndex >= 0) this.lastKeyIsRecords = this.keyIndex === RECORDS_KEY.length;
        } else if (c === NEWLINE) {
          // JSON strings cannot hold a raw line break: the line was cut short. Resynchronise on the next line.
          out.push({
            kind: 'invalid',
            reason: 'invalid-json',
            message: 'line ends inside a JSON string (truncated line)',
            offset: this.inRecord ? this.recordOffset : this.consumed + i,
            line: this.inRecord ? this.recordLine : this.lineAt(chunk, i),
          });
          this.resetValue();
          start = -1;
        } else if (this.keyIndex >= 0) {
          this.keyIndex = this.keyIndex < RECORDS_KEY.length && RECORDS_KEY[this.keyIndex] === c ? this.keyIndex + 1 : -1;
        }
        i++;
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.keyIndex = this.depth === 1 && !this.containerIsArray ? 0 : -1;
        if (this.depth === 0) this.startScalar(chunk, i);
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (this.depth === 0) {
          this.noteTopLevelValue();
          this.recordDepth = c === OPEN_ARRAY ? 2 : 1;
          this.containerIsArray = c === OPEN_ARRAY;
        } else if (this.depth === 1 && c === OPEN_ARRAY && !this.containerIsArray && this.lastKeyIsRecords) {
          // {"Records": [ ... ]}: the wrapper object is not a record, its elements are.
          this.recordDepth = 3;
          this.inRecord = false;
          this.parts = [];
          this.partsBytes = 0;
          this.oversize = false;
          start = -1;
        }
        this.depth++;
        if (this.depth === this.recordDepth) {
          if (c === OPEN_OBJECT) {
            this.inRecord = true;
            this.oversize = false;
            this.recordOffset = this.consumed + i;
            this.recordLine = this.lineAt(chunk, i);
            start = i;
          }
        }
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (this.depth === 0) {
          out.push({ kind: 'invalid', reason: 'invalid-json', message: `unexpected "${String.fromCharCode(c)}"`, offset: this.consumed + i, line: this.lineAt(chunk, i) });
          i = this.skipLine(chunk, i);
          continue;
        }
        this.depth--;
        if (this.inRecord && this.depth === this.recordDepth - 1) {
          this.finishRecord(chunk, start, i + 1, out);
          start = -1;
        }
        if (this.depth === 0) this.recordDepth = 1;
      } else if (c === NEWLINE) {
        if (this.depth === 0) {
          if (this.sawTopLevelValue) this.sawNewlineAfterValue = true;
          this.flushScalar(out);
        } else if (this.jsonLines) {
          out.push({ kind: 'invalid', reason: 'invalid-json', message: 'line ends inside a JSON value (truncated line)', offset: this.recordOffset, line: this.recordLine });
          this.resetValue();
          start = -1;
        }
      } else if (this.depth === 0 && !isSpace(c)) {
        this.startScalar(chunk, i);
      } else if (this.depth === 1 && c === 0x2c) {
        this.lastKeyIsRecords = false;
      }
      i++;
    }
    if (this.inRecord && start >= 0) this.keepPart(chunk.subarray(start));
    this.lineAt(chunk, n);
    this.lineCursor = 0;
    this.nextLineBreak = -2;
    this.consumed += n;
  }

  /** The depth a record's nested part never goes below: a close there is the general path's to judge. */
  private get bodyFloor(): number {
    return Math.max(this.recordDepth, 2);
  }

  /** skipRecordBody, many bytes a step where the WebAssembly scanner holds the chunk. */
  private scanRecordBody(chunk: Buffer, from: number): number {
    const scanner = this.scanner;
    if (!scanner?.holds(chunk)) return this.skipRecordBody(chunk, from);
    const scanned = scanner.scan(from, this.depth, this.inString, this.escape, this.bodyFloor);
    this.depth = scanned.depth;
    this.inString = scanned.inString;
    this.escape = scanned.escaped;
    if (this.inString) this.keyIndex = -1;
    return scanned.position;
  }

  /**
   * The inside of a record, below its top level, where only nesting and strings matter: nearly
   * every byte of the input. One tight loop with the state in locals and a table lookup per byte,
   * rather than the general path's tests (and a native search per string, which costs more than
   * the few bytes most strings hold); ChunkScanner does the same many bytes a step. It stops, without
   * consuming it, at the first byte the general path must judge: the close that would leave the
   * record's nested part, a line break (outside a string it may end a JSON Lines record; inside one
   * it cuts the line short), or the chunk's end.
   */
  private skipRecordBody(chunk: Buffer, from: number): number {
    const n = chunk.length;
    const floor = this.bodyFloor;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escape;
    let i = from;
    const last4 = n - 4;
    while (i < n) {
      if (inString) {
        if (escaped) {
          escaped = false;
          i++;
          continue;
        }
        // Four bytes a step while all four go on with the string (fewer branches), then one at a time.
        while (i <= last4 && (PLAIN_IN_STRING[chunk[i]] & PLAIN_IN_STRING[chunk[i + 1]] & PLAIN_IN_STRING[chunk[i + 2]] & PLAIN_IN_STRING[chunk[i + 3]]) === 1) i += 4;
        while (i < n && PLAIN_IN_STRING[chunk[i]] === 1) i++;
        if (i >= n) break;
        const c = chunk[i];
        if (c === QUOTE) inString = false;
        else if (c === BACKSLASH) escaped = true;
        else break;
        i++;
        continue;
      }
      const kind = BYTE_CLASS[chunk[i]];
      if (kind === OTHER) i++;
      else if (kind === STRING_START) {
        inString = true;
        i++;
      } else if (kind === OPENS) {
        depth++;
        i++;
      } else if (kind === CLOSES && depth > floor) {
        depth--;
        i++;
      } else break;
    }
    this.depth = depth;
    this.inString = inString;
    this.escape = escaped;
    if (inString) this.keyIndex = -1;
    return i;
  }

  /** Call once at the end of the input. */
  end(out: SplitItem[]): void {
    if (this.scalarStart >= 0) {
      out.push({ kind: 'invalid', reason: 'not-an-object', message: 'top-level value is not a JSON object', offset: this.scalarStart, line: this.scalarLine });
      this.scalarStart = -1;
    }
    if (this.depth > 0 || this.inString) {
      out.push({
        kind: 'invalid',
        reason: 'invalid-json',
        message: `input ends inside a JSON value (truncated file?) at byte ${this.consumed}`,
        offset: this.inRecord ? this.recordOffset : this.consumed,
        line: this.inRecord ? this.recordLine : this.newlines + 1,
      });
      this.resetValue();
    }
  }

  private noteTopLevelValue(): void {
    if (this.sawNewlineAfterValue) this.jsonLines = true;
    this.sawTopLevelValue = true;
    this.sawNewlineAfterValue = false;
  }

  private startScalar(chunk: Buffer, i: number): void {
    if (this.scalarStart < 0) {
      this.noteTopLevelValue();
      this.scalarStart = this.consumed + i;
      this.scalarLine = this.lineAt(chunk, i);
    }
  }

  /**
   * The 1-based line of chunk[i]. Positions asked for only grow within a chunk, so each newline is
   * searched for once: a cost per line, not per record.
   */
  private lineAt(chunk: Buffer, i: number): number {
    for (;;) {
      if (this.nextLineBreak === -2) this.nextLineBreak = chunk.indexOf(NEWLINE, this.lineCursor);
      if (this.nextLineBreak === -1 || this.nextLineBreak >= i) break;
      this.newlines++;
      this.lineCursor = this.nextLineBreak + 1;
      this.nextLineBreak = -2;
    }
    return this.newlines + 1;
  }

  private flushScalar(out: SplitItem[]): void {
    if (this.scalarStart >= 0) {
      out.push({ kind: 'invalid', reason: 'not-an-object', message: 'top-level value is not a JSON object', offset: this.scalarStart, line: this.scalarLine });
      this.scalarStart = -1;
    }
  }

  private skipLine(chunk: Buffer, i: number): number {
    const nl = chunk.indexOf(NEWLINE, i);
    return nl === -1 ? chunk.length : nl;
  }

  private resetValue(): void {
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.recordDepth = 1;
    this.inRecord = false;
    this.parts = [];
    this.partsBytes = 0;
    this.oversize = false;
  }

  private keepPart(part: Buffer): void {
    if (this.oversize) return;
    this.partsBytes += part.length;
    if (this.partsBytes > MAX_RECORD_BYTES) {
      this.oversize = true;
      this.parts = [];
      return;
    }
    // Copy: the chunk's memory is reused by the stream once we return.
    this.parts.push(Buffer.from(part));
  }

  /** Where the needle occurs in this chunk: one native search a chunk instead of one a record. */
  private findNeedles(chunk: Buffer): void {
    this.needles.length = 0;
    this.needleEnds.length = 0;
    this.needleCursor = 0;
    // Where each needle starts: the scanner finds them all in one call, else Buffer.indexOf one by one.
    const scanner = this.scanner?.holds(chunk) ? this.scanner : null;
    const placesOf = (needle: Buffer): number[] => {
      if (scanner) return scanner.find(needle);
      const places: number[] = [];
      for (let p = chunk.indexOf(needle); p !== -1; p = chunk.indexOf(needle, p + 1)) places.push(p);
      return places;
    };
    const found = this.needleList.flatMap((needle) => placesOf(needle).map((p) => [p, p + needle.length] as const));
    if (this.needleList.length > 1) found.sort((x, y) => x[0] - y[0]);
    for (const [p, e] of found) {
      this.needles.push(p);
      this.needleEnds.push(e);
    }
  }

  /** Whether chunk[start, end) holds the needle; records end in increasing order, so a cursor suffices. */
  private needleWithin(start: number, end: number): boolean {
    const needles = this.needles;
    while (this.needleCursor < needles.length && needles[this.needleCursor] < start) this.needleCursor++;
    return this.needleCursor < needles.length && this.needleEnds[this.needleCursor] <= end;
  }

  private finishRecord(chunk: Buffer, start: number, end: number, out: SplitItem[]): void {
    this.inRecord = false;
    const from = Math.max(start, 0);
    const size = this.partsBytes + end - from;
    if (this.oversize || size > MAX_RECORD_BYTES) {
      out.push({ kind: 'invalid', reason: 'record-too-large', message: `record is over ${MAX_RECORD_BYTES} bytes`, offset: this.recordOffset, line: this.recordLine });
    } else if (this.parts.length) {
      // A record that began in an earlier chunk: the needle may straddle the boundary, so search the whole record.
      const bytes = Buffer.concat([...this.parts, chunk.subarray(from, end)]);
      if (!this.needleList.some((needle) => bytes.indexOf(needle) !== -1)) this.skipped++;
      else out.push({ kind: 'record', text: bytes.toString('utf8'), offset: this.recordOffset, line: this.recordLine });
    } else if (this.needleWithin(from, end)) {
      out.push({ kind: 'record', text: chunk.toString('utf8', from, end), offset: this.recordOffset, line: this.recordLine });
    } else {
      this.skipped++;
    }
    this.parts = [];
    this.partsBytes = 0;
    this.oversize = false;
  }
}
