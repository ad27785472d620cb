import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChunkScanner } from '../../src/events/chunkScanner';
import { RecordSplitter, type SplitItem } from '../../src/events/splitter';
import { seededRandom } from '../helpers/random';

const ROOT = join(__dirname, '..', '..');
const { assemble, moduleText, TARGET } = require('../../scripts/build-wasm.js');

/** Bytes that are mostly JSON-like text, with every byte the scanners treat specially, often. */
function jsonishBytes(random: () => number, length: number): Buffer {
  const alphabet = Buffer.from('{}[]"\\\n:,abcsecretsmanagerPolicy 0123');
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = random() < 0.02 ? Math.floor(random() * 256) : alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

function splitAll(data: Buffer, chunkSize: number, simd: boolean, needles: Buffer[]): { items: SplitItem[]; skipped: number } {
  const splitter = new RecordSplitter(needles, { simd });
  const items: SplitItem[] = [];
  for (let i = 0; i < data.length; i += chunkSize) splitter.push(data.subarray(i, i + chunkSize), items);
  splitter.end(items);
  return { items, skipped: splitter.skipped };
}

describe('ChunkScanner (chunkScan.wat)', () => {
  test('the module in chunkScanWasm.ts is chunkScan.wat assembled (run node scripts/build-wasm.js after editing it)', async () => {
    const bytes: Buffer = await assemble();
    expect(readFileSync(TARGET, 'utf8')).toBe(moduleText(bytes));
    expect(TARGET).toBe(join(ROOT, 'src', 'events', 'chunkScanWasm.ts'));
  });

  test('runs here (WebAssembly with SIMD): the splitter uses it', () => {
    expect(new ChunkScanner().available).toBe(true);
  });

  test('find gives every place Buffer.indexOf gives, overlapping ones and those at the ends included', () => {
    const random = seededRandom(7);
    const scanner = new ChunkScanner();
    const needles = ['secretsmanager', 'Policy', 'aa', 'a', 'aaa', '"}', 'x'.repeat(40)].map((n) => Buffer.from(n));
    const chunks: Buffer[] = [Buffer.from('aaaaa'), Buffer.from(''), Buffer.from('Policy'), Buffer.from('xPolicyPolicy'), Buffer.from('x'.repeat(100))];
    for (let k = 0; k < 40; k++) chunks.push(jsonishBytes(random, 1 + Math.floor(random() * 3000)));
    for (const chunk of chunks) {
      expect(scanner.load(chunk)).toBe(true);
      for (const needle of needles) {
        const expected: number[] = [];
        for (let p = chunk.indexOf(needle); p !== -1; p = chunk.indexOf(needle, p + 1)) expected.push(p);
        expect({ needle: needle.toString(), places: scanner.find(needle) }).toEqual({ needle: needle.toString(), places: expected });
      }
    }
  });

  test('find reports every place when there are more than one call returns', () => {
    const scanner = new ChunkScanner();
    const chunk = Buffer.from('P'.repeat(40_000));
    scanner.load(chunk);
    const places = scanner.find(Buffer.from('P'));
    expect(places).toHaveLength(40_000);
    expect(places[39_999]).toBe(39_999);
  });

  test('a chunk larger than the memory so far grows it; another scanner in between makes the first load its chunk again', () => {
    const first = new ChunkScanner();
    const second = new ChunkScanner();
    const big = Buffer.alloc(3 << 20, 'a');
    big.write('Policy', big.length - 6);
    expect(first.load(big)).toBe(true);
    expect(second.load(Buffer.from('Policy Policy'))).toBe(true);
    expect(first.holds(big)).toBe(false);
    expect(second.find(Buffer.from('Policy'))).toEqual([0, 7]);
    first.load(big);
    expect(first.find(Buffer.from('Policy'))).toEqual([big.length - 6]);
  });

  test('the splitter gives the same items with and without it, on random input in any chunking', () => {
    const random = seededRandom(11);
    const needles = [Buffer.from('secretsmanager'), Buffer.from('Policy')];
    for (let k = 0; k < 60; k++) {
      // Records of random JSON-ish content in a {"Records":[...]} file, JSON Lines or a top-level array.
      const records = Array.from({ length: 1 + Math.floor(random() * 6) }, () => `{"a":"${jsonishBytes(random, Math.floor(random() * 200)).toString('latin1')}","b":[1,{"c":"secretsmanager"}]}`);
      const layouts = [`{"Records":[${records.join(',')}]}`, records.join('\n'), `[${records.join(',')}]`];
      for (const text of layouts) {
        const data = Buffer.from(text, 'latin1');
        for (const chunkSize of [1, 7, 16, 17, 64, 1 << 20]) {
          expect(splitAll(data, chunkSize, true, needles)).toEqual(splitAll(data, chunkSize, false, needles));
        }
      }
    }
  });

  test('the splitter gives the same items with and without it on well-formed records with escapes and nesting', () => {
    const random = seededRandom(13);
    const needles = [Buffer.from('secretsmanager')];
    const pieces = ['"', '\\', '\\\\', '{', '}', '[', ']', 'secretsmanager', 'é', '\n', '\u2028', 'x'.repeat(20)];
    const records = Array.from({ length: 200 }, (_, n) => {
      const value = Array.from({ length: Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      return JSON.stringify({ eventSource: n % 3 === 0 ? 'secretsmanager.amazonaws.com' : 's3.amazonaws.com', n, value, nested: { list: [value, { deeper: [value] }] } });
    });
    const data = Buffer.from(JSON.stringify({ Records: records.map((r) => JSON.parse(r)) }));
    for (const chunkSize of [13, 16, 1000, 1 << 20]) {
      const simd = splitAll(data, chunkSize, true, needles);
      expect(simd).toEqual(splitAll(data, chunkSize, false, needles));
      expect(simd.items.map((i) => (i.kind === 'record' ? JSON.parse(i.text).n : i))).toEqual(records.map((_, n) => n).filter((n) => n % 3 === 0 || records[n].includes('secretsmanager') === true));
    }
  });
});
