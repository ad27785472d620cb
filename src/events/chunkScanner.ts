import { CHUNK_SCAN_WASM } from './chunkScanWasm';

/** Where a scan of a record's inside stopped, and the state it stopped in. */
export interface BodyScanResult {
  position: number;
  depth: number;
  inString: boolean;
  escaped: boolean;
}

interface ChunkScanExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(from: number, end: number, depth: number, state: number, floor: number): number;
  depth(): number;
  state(): number;
  find(from: number, end: number, needle: number, length: number, out: number, max: number): number;
}

/** The part of the WebAssembly API used here (the project's TypeScript libraries do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

const IN_STRING = 1;
const ESCAPED = 2;
const PAGE_BYTES = 65_536;
/** After the chunk: room for a needle, then for this many of its places per call. */
const NEEDLE_ROOM = 4096;
const PLACES_PER_CALL = 16_384;

let instance: ChunkScanExports | null | undefined;

/** The module, once per thread; null where WebAssembly SIMD is not to be had (node --jitless). */
function chunkScanModule(): ChunkScanExports | null {
  if (instance === undefined) {
    try {
      const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
      instance = api ? (new api.Instance(new api.Module(Buffer.from(CHUNK_SCAN_WASM, 'base64'))).exports as ChunkScanExports) : null;
    } catch {
      instance = null;
    }
  }
  return instance;
}

/** The module's memory from its start, as `area` last gave it (a view is remade only when the memory grows). */
let areaView: Buffer | null = null;

/** Who put the bytes now in the module's memory there: a scanner reloads its chunk when another scanner came in between. */
let loadedBy: object | null = null;

/**
 * A chunk of input in chunkScan.wat's memory, where it is searched for needles and the inside of
 * its records scanned 32 or 16 bytes a step: the chunk is copied in once (a copy costs far less than the
 * byte-by-byte loops it saves) and each scan says where it stopped and in what state, as the
 * splitter's own loop would. Where the module cannot run, or a chunk cannot be had in its memory,
 * `load` says so and the splitter keeps to its own loops.
 */
export class ChunkScanner {
  private readonly wasm = chunkScanModule();
  private chunk: Buffer | null = null;

  get available(): boolean {
    return this.wasm !== null;
  }

  /**
   * Memory of `bytes` in the module, where a chunk can be written to be loaded without a copy;
   * null when the module cannot run or have that much. What is there is the next loader's: a
   * chunk written there must be loaded before any other.
   */
  area(bytes: number): Buffer | null {
    const wasm = this.wasm;
    if (!wasm || !this.room(bytes)) return null;
    if (!areaView || areaView.buffer !== wasm.memory.buffer || areaView.length < bytes) areaView = Buffer.from(wasm.memory.buffer, 0, bytes);
    return areaView.length === bytes ? areaView : areaView.subarray(0, bytes);
  }

  /** Grows the memory to hold a chunk of `bytes` and what find needs after it; false when it cannot. */
  private room(bytes: number): boolean {
    const wasm = this.wasm as ChunkScanExports;
    const missing = this.needleAt(bytes) + NEEDLE_ROOM + PLACES_PER_CALL * 4 - wasm.memory.buffer.byteLength;
    if (missing <= 0) return true;
    try {
      wasm.memory.grow(Math.ceil(missing / PAGE_BYTES));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Puts `chunk` in the module's memory: copied, unless it was written in place (`area`); false when
   * it does not fit (the caller's loops do the work).
   */
  load(chunk: Buffer): boolean {
    const wasm = this.wasm;
    if (!wasm) return false;
    const inPlace = chunk.buffer === wasm.memory.buffer && chunk.byteOffset === 0;
    if (!inPlace) {
      if (!this.room(chunk.length)) {
        this.chunk = null;
        return false;
      }
      new Uint8Array(wasm.memory.buffer, 0, chunk.length).set(chunk);
    }
    this.chunk = chunk;
    loadedBy = this;
    return true;
  }

  /** Where the needle goes, after a chunk of `bytes`. */
  private needleAt(bytes: number): number {
    return (bytes + 15) & ~15;
  }

  /** Whether `chunk` is the one in the module's memory, put there by this scanner. */
  holds(chunk: Buffer): boolean {
    return this.chunk === chunk && loadedBy === this;
  }

  /** Where `needle` starts in the loaded chunk, in order, as Buffer.indexOf would find them one by one. */
  find(needle: Buffer): number[] {
    const wasm = this.wasm as ChunkScanExports;
    const chunk = this.chunk as Buffer;
    if (needle.length > NEEDLE_ROOM) throw new RangeError(`a needle of ${needle.length} bytes is over ${NEEDLE_ROOM}`);
    const needleAt = this.needleAt(chunk.length);
    const out = needleAt + NEEDLE_ROOM;
    new Uint8Array(wasm.memory.buffer, needleAt, needle.length).set(needle);
    const places: number[] = [];
    for (let from = 0; ; ) {
      const count = wasm.find(from, chunk.length, needleAt, needle.length, out, PLACES_PER_CALL);
      const found = new Int32Array(wasm.memory.buffer, out, count);
      for (let k = 0; k < count; k++) places.push(found[k]);
      if (count < PLACES_PER_CALL) return places;
      from = found[count - 1] + 1;
    }
  }

  /** Scans the loaded chunk from `from`, as the splitter's skipRecordBody would. */
  scan(from: number, depth: number, inString: boolean, escaped: boolean, floor: number): BodyScanResult {
    const wasm = this.wasm as ChunkScanExports;
    const position = wasm.scan(from, (this.chunk as Buffer).length, depth, (inString ? IN_STRING : 0) | (escaped ? ESCAPED : 0), floor);
    const state = wasm.state();
    return { position, depth: wasm.depth(), inString: (state & IN_STRING) !== 0, escaped: (state & ESCAPED) !== 0 };
  }
}
