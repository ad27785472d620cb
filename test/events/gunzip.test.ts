import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import { openInput } from '../../src/events/files';
import { GunzipMembers } from '../../src/events/gunzip';
import { gzipWithEveryHeaderField } from '../helpers/gzip';
import { seededRandom } from '../helpers/random';

/** Text that compresses as CloudTrail does, or bytes that do not compress at all. */
function content(random: () => number, length: number): Buffer {
  if (random() < 0.3) return Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
  const words = ['{"eventSource":', '"secretsmanager.amazonaws.com"', ',"eventName":"GetSecretValue"', '}', '\n', String(Math.floor(random() * 1e9))];
  let text = '';
  while (text.length < length) text += words[Math.floor(random() * words.length)];
  return Buffer.from(text.slice(0, length));
}

/** GunzipOptions.area for `area`: that memory (zlib's handle inflates into it), or none (zlib's stream). */
function inflatingInto(area: Buffer | null): (() => Buffer) | undefined {
  return area ? () => area : undefined;
}

interface Inflated {
  data: Buffer;
  pieces: Buffer[];
  members: number;
  garbage: Array<[number, number]>;
}

/** Writes `gz` to a GunzipMembers in pieces of the given sizes; `area`: its memory to inflate into (null: zlib's stream). */
async function inflate(gz: Buffer, sizes: () => number, area: Buffer | null): Promise<Inflated> {
  const pieces: Buffer[] = [];
  const copies: Buffer[] = [];
  const garbage: Array<[number, number]> = [];
  const gunzip = new GunzipMembers(
    (piece) => {
      pieces.push(piece);
      // A piece is the sink's only while it runs: what is kept is copied.
      copies.push(Buffer.from(piece));
    },
    { onTrailingGarbage: (bytes, members) => garbage.push([bytes, members]), area: inflatingInto(area) },
  );
  for (let at = 0; at < gz.length; ) {
    const size = Math.max(1, sizes());
    await gunzip.write(gz.subarray(at, at + size));
    at += size;
  }
  gunzip.end();
  return { data: Buffer.concat(copies), pieces, members: gunzip.members, garbage };
}

const MODES: Array<[string, () => Buffer | null]> = [
  ['inflating in place (zlib handle)', () => Buffer.alloc(64 * 1024)],
  ["zlib's stream (the fallback)", () => null],
];

describe.each(MODES)('GunzipMembers, %s', (_mode, makeArea) => {
  test('any members, written in any pieces, inflate to what was compressed', async () => {
    const random = seededRandom(11);
    for (let round = 0; round < 40; round++) {
      const members = Array.from({ length: Math.floor(random() * 4) + 1 }, () => content(random, random() < 0.2 ? 0 : Math.floor(random() * 200_000)));
      const gz = Buffer.concat(members.map((m) => gzipSync(m, { level: 1 + Math.floor(random() * 9) })));
      // Byte-sized pieces on small files: every header and trailer cut at every place.
      const limit = gz.length < 4000 && random() < 0.5 ? 4 : 300_000;
      const area = makeArea();
      const result = await inflate(gz, () => Math.floor(random() * limit), area);
      expect(result.data.equals(Buffer.concat(members))).toBe(true);
      expect(result.members).toBe(members.length);
      expect(result.garbage).toEqual([]);
      for (const piece of result.pieces) {
        expect(piece.length).toBeGreaterThan(0);
        if (area) expect(piece.buffer).toBe(area.buffer);
      }
    }
  });

  test('a small file that inflates to 64 MB comes in pieces no larger than the memory given', async () => {
    const gz = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
    const area = makeArea();
    let largest = 0;
    let total = 0;
    const gunzip = new GunzipMembers(
      (piece) => {
        largest = Math.max(largest, piece.length);
        total += piece.length;
      },
      { onTrailingGarbage: () => {}, area: inflatingInto(area) },
    );
    await gunzip.write(gz);
    gunzip.end();
    expect(total).toBe(64 * 1024 * 1024);
    expect(largest).toBeLessThanOrEqual(area ? area.length : 1 << 20);
  });

  test('bytes after the last member are counted and reported, whether they look like a header or not', async () => {
    const gz = Buffer.concat([gzipSync(Buffer.from('one')), gzipSync(Buffer.from('two'))]);
    const text = await inflate(Buffer.concat([gz, Buffer.from('not gzip')]), () => 3, makeArea());
    expect(text.data.toString()).toBe('onetwo');
    expect(text.garbage).toEqual([[8, 2]]);
    // Two bytes that could begin a header, and the file ends.
    const stray = await inflate(Buffer.concat([gz, Buffer.from([0x1f, 0x8b])]), () => 100, makeArea());
    expect(stray.garbage).toEqual([[2, 2]]);
  });

  test.each([
    ['not gzip at all', () => Buffer.from('{"Records": []}'), 'not a gzip header'],
    ['a header cut short', () => gzipSync(Buffer.from('x')).subarray(0, 6), 'not a complete gzip header'],
    ['deflate data cut short', () => gzipSync(content(seededRandom(3), 50_000)).subarray(0, 2000), 'unexpected end of file: the gzip data is truncated'],
    ['a trailer cut short', () => gzipSync(Buffer.from('hello')).subarray(0, -3), 'unexpected end of file: the gzip data is truncated'],
  ])('%s: a GzipFormatError that says so', async (_name, make, message) => {
    const error = await inflate(make(), () => 7, makeArea()).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'GzipFormatError', code: 'Z_DATA_ERROR', message });
  });

  test('a wrong CRC or length names the member, after its data went to the sink', async () => {
    const data = Buffer.from('the records are checked before the trailer');
    const good = gzipSync(data);
    const badCrc = Buffer.from(good);
    badCrc.writeUInt32LE(~crc32(data) >>> 0, badCrc.length - 8);
    const badLength = Buffer.from(good);
    badLength.writeUInt32LE(data.length + 1, badLength.length - 4);
    for (const [gz, message] of [
      [Buffer.concat([good, badCrc]), 'member 2: CRC mismatch'],
      [badLength, 'member 1: length mismatch'],
    ] as const) {
      let seen = '';
      const area = makeArea();
      const gunzip = new GunzipMembers((piece) => (seen += piece.toString()), { onTrailingGarbage: () => {}, area: inflatingInto(area) });
      await expect(gunzip.write(gz)).rejects.toMatchObject({ name: 'GzipFormatError', message });
      expect(seen.endsWith(data.toString())).toBe(true);
    }
  });

  test("corrupt deflate data: zlib's error, with zlib's code", async () => {
    const gz = Buffer.from(gzipSync(content(seededRandom(5), 10_000)));
    gz.fill(0xff, 10, 30);
    await expect(inflate(gz, () => 1000, makeArea())).rejects.toMatchObject({ code: 'Z_DATA_ERROR' });
  });

  test("the sink's own error ends the write with it", async () => {
    const gz = gzipSync(content(seededRandom(9), 100_000));
    const area = makeArea();
    const gunzip = new GunzipMembers(
      () => {
        throw new Error('the reader failed');
      },
      { onTrailingGarbage: () => {}, area: inflatingInto(area) },
    );
    await expect(gunzip.write(gz)).rejects.toThrow('the reader failed');
  });

  test('damaged files end in output and a gzip error, or in output and trailing bytes, never in a hang or another error', async () => {
    const random = seededRandom(17);
    const whole = Buffer.concat([gzipSync(content(random, 30_000)), gzipSync(content(random, 5_000))]);
    for (let round = 0; round < 150; round++) {
      const damaged = Buffer.from(whole.subarray(0, random() < 0.3 ? Math.floor(random() * whole.length) : whole.length));
      for (let flips = Math.floor(random() * 4); flips >= 0; flips--) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
      const outcome = await inflate(damaged, () => 1 + Math.floor(random() * 5000), makeArea()).catch((error: NodeJS.ErrnoException) => error);
      // zlib's errors come from node's own realm, not the test's: told apart by shape, not class.
      if ('members' in outcome) expect(outcome.members).toBeGreaterThanOrEqual(1);
      else expect(outcome.code).toMatch(/^Z_/);
    }
  });

  test('a member with every optional header field', async () => {
    const result = await inflate(gzipWithEveryHeaderField(Buffer.from('flags')), () => 1, makeArea());
    expect(result.data.toString()).toBe('flags');
  });
});

describe('openInput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secretwatch-input-'));

  test('reads a plain file and a gzip file to the sink in order, reporting progress in compressed bytes', async () => {
    const data = content(seededRandom(21), 300_000);
    const gz = gzipSync(data);
    for (const [name, bytes] of [
      ['plain.json', data],
      ['packed.json.gz', gz],
    ] as const) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const progress: number[] = [];
      const area = Buffer.alloc(10_000);
      const opened = await openInput(path, { readBytes: 4096, progress: (n) => progress.push(n), area: () => area });
      expect(opened.size).toBe(bytes.length);
      const pieces: Buffer[] = [];
      await opened.read((piece) => pieces.push(Buffer.from(piece)));
      expect(Buffer.concat(pieces).equals(data)).toBe(true);
      expect(progress.at(-1)).toBe(bytes.length);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(opened.bytesRead()).toBe(bytes.length);
    }
  });

  test('a missing file, and a .gz name on content that is not gzip, are input errors', async () => {
    await expect(openInput(join(dir, 'missing.json'))).rejects.toMatchObject({ name: 'InputFileError', reason: 'unreadable' });
    const path = join(dir, 'fake.json.gz');
    writeFileSync(path, '{}');
    await expect(openInput(path)).rejects.toMatchObject({ name: 'InputFileError', reason: 'not-gzip' });
  });
});
