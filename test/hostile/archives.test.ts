/**
 * Gzip and size attacks on replay's input, and the bounded de-duplication window: whatever is
 * wrong with a file, every record that can be read whole is still checked, and what could not be
 * is said (file, reason) without losing the records around it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FindingWindow } from '../../src/cli/replay/dedup';
import { replay } from '../../src/cli/replay/engine';
import { DEFAULT_CONFIG } from '../../src/config/config';
import type { Finding } from '../../src/findings/finding';
import { survivor } from '../fixtures/hostile/corpus';
import { runCli } from '../helpers/cli';
import { gzipWithEveryHeaderField } from '../helpers/gzip';

jest.setTimeout(60_000);

const dir = mkdtempSync(join(tmpdir(), 'secretwatch-archives-'));

/** JSON Lines of survivors from..to-1. */
function records(from: number, to: number): Buffer {
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(survivor(i).text);
  return Buffer.from(`${lines.join('\n')}\n`);
}

function write(name: string, content: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function replayed(path: string) {
  const run = await runCli(['replay', path, '--format', 'json']);
  const ids = run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as Finding).event?.id);
  return { ...run, ids };
}

function ids(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, k) => `survivor-${from + k}`);
}

describe('gzip read as gzip -d reads it', () => {
  test('trailing garbage after the last member: every record, and a warning', async () => {
    const run = await replayed(write('garbage.json.gz', Buffer.concat([gzipSync(records(0, 5)), Buffer.from('not gzip at all, some upload padding')])));
    expect(run.ids).toEqual(ids(0, 5));
    expect(run.stderr).toMatch(/garbage\.json\.gz: warning: 36 byte\(s\) after the last of 1 gzip member\(s\) are not gzip data: ignored, as gzip -d does/);
    expect(run.stderr).toContain('1 warning(s)');
    expect(run.code).toBe(0);
  });

  test('zero padding after the last member (a tape or block device): every record, and a warning', async () => {
    const run = await replayed(write('padded.json.gz', Buffer.concat([gzipSync(records(0, 3)), Buffer.alloc(4096)])));
    expect(run.ids).toEqual(ids(0, 3));
    expect(run.stderr).toContain('4096 byte(s) after the last of 1 gzip member(s)');
  });

  test('concatenated members, one record split across two of them, and an empty member', async () => {
    const all = records(0, 6);
    const cut = Math.floor(all.length / 2) + 7;
    const run = await replayed(write('members.json.gz', Buffer.concat([gzipSync(Buffer.alloc(0)), gzipSync(all.subarray(0, cut)), gzipSync(all.subarray(cut))])));
    expect(run.ids).toEqual(ids(0, 6));
    expect(run.stderr).not.toContain('warning');
    expect(run.code).toBe(0);
  });

  test('a member with every optional header field', async () => {
    const run = await replayed(write('flags.json.gz', gzipWithEveryHeaderField(records(0, 4))));
    expect(run.ids).toEqual(ids(0, 4));
    expect(run.code).toBe(0);
  });

  test('a file cut short: the records before the cut are checked, the file is reported', async () => {
    const whole = gzipSync(records(0, 400));
    const run = await replayed(write('cut.json.gz', whole.subarray(0, Math.floor(whole.length * 0.6))));
    expect(run.ids.length).toBeGreaterThan(100);
    expect(run.ids).toEqual(ids(0, run.ids.length));
    expect(run.stderr).toMatch(/cut\.json\.gz: .*\(the records before it were checked, the rest of the file skipped\)/);
    expect(run.code).toBe(3);
  });

  test('a wrong CRC: the records are checked, and the file is reported corrupt', async () => {
    const bad = Buffer.from(gzipSync(records(0, 3)));
    bad.writeUInt32LE(~bad.readUInt32LE(bad.length - 8) >>> 0, bad.length - 8);
    const run = await replayed(write('crc.json.gz', bad));
    expect(run.ids).toEqual(ids(0, 3));
    expect(run.stderr).toMatch(/crc\.json\.gz: member 1: CRC mismatch/);
    expect(run.code).toBe(3);
  });

  test("a corrupt second member: the first member's records are checked", async () => {
    const second = Buffer.from(gzipSync(records(3, 6)));
    second.fill(0xff, 10, 30);
    const run = await replayed(write('second.json.gz', Buffer.concat([gzipSync(records(0, 3)), second])));
    expect(run.ids.slice(0, 3)).toEqual(ids(0, 3));
    expect(run.code).toBe(3);
  });

  test('a small file that inflates to 64 MB of whitespace before its record', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.alloc(64 * 1024 * 1024, 0x20), records(0, 1)]), { level: 9 });
    expect(bomb.length).toBeLessThan(200 * 1024);
    const run = await replayed(write('bomb.json.gz', bomb));
    expect(run.ids).toEqual(ids(0, 1));
  });
});

describe('size attacks', () => {
  test('a record over 1 MiB between two good ones', async () => {
    const huge = JSON.stringify({ ...JSON.parse(survivor(1).text), padding: 'secretsmanager'.repeat(100_000) });
    const run = await replayed(write('huge.jsonl', Buffer.from(`${survivor(0).text}\n${huge}\n${survivor(2).text}\n`)));
    expect(run.ids).toEqual(['survivor-0', 'survivor-2']);
    expect(run.stderr).toMatch(/huge\.jsonl:2: record \(byte \d+\) skipped: record-too-large/);
  });

  test('200,000 records of other services hide one of Secrets Manager', async () => {
    const other = `${JSON.stringify({ eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'GetObject' })}\n`;
    const run = await replayed(write('haystack.jsonl', Buffer.concat([Buffer.from(other.repeat(200_000)), records(0, 1)])));
    expect(run.ids).toEqual(ids(0, 1));
    expect(run.stderr).toMatch(/from 200001 record\(s\)/);
  });
});

describe('de-duplication remembers a bounded window', () => {
  function finding(id: string): Finding {
    return { event: { id, name: 'DeleteSecret', time: '2024-01-01T00:00:00Z' }, check: 'secret-force-deleted', account: '111122223333', region: 'us-east-1' } as Finding;
  }

  test('a copy within the window is a duplicate; past it, it is reported again; memory never passes the window', () => {
    const window = new FindingWindow(3);
    expect(['a', 'b', 'c', 'a'].map((id) => window.seenBefore(finding(id)))).toEqual([false, false, false, true]);
    expect(window.seenBefore(finding('d'))).toBe(false);
    expect(window.seenBefore(finding('a'))).toBe(false);
    expect(window.seenBefore(finding('d'))).toBe(true);
    for (let i = 0; i < 1000; i++) window.seenBefore(finding(`x${i}`));
    expect(window.remembered).toBe(3);
  });

  test('findings without an event id are never taken for duplicates', () => {
    const window = new FindingWindow(3);
    const scan = { ...finding('x'), event: null } as Finding;
    expect([window.seenBefore(scan), window.seenBefore(scan)]).toEqual([false, false]);
    expect(window.remembered).toBe(0);
  });

  test('replay: a copy further apart than the window is reported again, never lost', async () => {
    const path = write('copies.jsonl', Buffer.concat([records(0, 3), records(0, 1)]));
    const run = async (dedupWindow?: number) => {
      const seen: string[] = [];
      const stats = await replay([path], { config: DEFAULT_CONFIG, dedupWindow }, { finding: (f) => seen.push(f.event?.id as string) });
      return { seen, duplicates: stats.duplicates };
    };
    expect(await run()).toEqual({ seen: ids(0, 3), duplicates: 1 });
    expect(await run(2)).toEqual({ seen: [...ids(0, 3), 'survivor-0'], duplicates: 0 });
  });

  test('the window must be a positive whole number', () => {
    expect(() => new FindingWindow(0)).toThrow(RangeError);
  });
});
