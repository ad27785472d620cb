import { MAX_RECORD_BYTES } from '../../src/events/parse';
import { RecordSplitter, type SplitItem } from '../../src/events/splitter';

const sm = (n: number, extra: Record<string, unknown> = {}) => ({ eventSource: 'secretsmanager.amazonaws.com', eventName: 'DeleteSecret', n, ...extra });
const other = (n: number) => ({ eventSource: 's3.amazonaws.com', eventName: 'GetObject', n });

function split(text: string | Buffer, chunkSize = 1 << 20): { items: SplitItem[]; skipped: number } {
  const data = typeof text === 'string' ? Buffer.from(text) : text;
  const splitter = new RecordSplitter();
  const items: SplitItem[] = [];
  for (let i = 0; i < data.length; i += chunkSize) splitter.push(data.subarray(i, i + chunkSize), items);
  splitter.end(items);
  return { items, skipped: splitter.skipped };
}

function records(text: string, chunkSize?: number): unknown[] {
  return split(text, chunkSize).items.map((i) => (i.kind === 'record' ? JSON.parse(i.text) : { invalid: i.reason }));
}

const RECORDS_FILE = JSON.stringify({ Records: [sm(1), other(2), sm(3, { s: 'brace } and quote " and \\\\ and ] [ {' }), other(4)] });

describe('RecordSplitter', () => {
  test.each([1, 2, 3, 7, 64, 1 << 20])('a {"Records": [...]} file, in chunks of %i bytes', (chunk) => {
    const { items, skipped } = split(RECORDS_FILE, chunk);
    expect(items.map((i) => (i.kind === 'record' ? JSON.parse(i.text).n : i))).toEqual([1, 3]);
    expect(skipped).toBe(2);
  });

  test.each([1, 5, 64, 1 << 20])('several needles: a record holding any one is handed on, in chunks of %i bytes', (chunk) => {
    const iam = (n: number, eventName: string) => ({ eventSource: 'iam.amazonaws.com', eventName, n });
    const data = Buffer.from(JSON.stringify({ Records: [other(1), iam(2, 'PutRolePolicy'), sm(3), iam(4, 'GetRole'), iam(5, 'SetDefaultPolicyVersion'), other(6)] }));
    const splitter = new RecordSplitter([Buffer.from('secretsmanager'), Buffer.from('Policy')]);
    const items: SplitItem[] = [];
    for (let i = 0; i < data.length; i += chunk) splitter.push(data.subarray(i, i + chunk), items);
    splitter.end(items);
    expect(items.map((i) => (i.kind === 'record' ? JSON.parse(i.text).n : i))).toEqual([2, 3, 5]);
    expect(splitter.skipped).toBe(3);
  });

  test('record offsets point at the record in the stream', () => {
    const { items } = split(RECORDS_FILE);
    const first = items[0] as Extract<SplitItem, { kind: 'record' }>;
    expect(RECORDS_FILE.slice(first.offset, first.offset + first.text.length)).toBe(first.text);
  });

  test.each([1, 3, 7, 1 << 20])('every item says the line it starts on, in chunks of %i bytes', (chunk) => {
    const lines = [JSON.stringify(sm(1)), '', JSON.stringify(other(2)), '42', JSON.stringify(sm(3)).slice(0, 20), JSON.stringify(sm(4))];
    const jsonLines = split(`${lines.join('\n')}\n`, chunk).items;
    expect(jsonLines.map((i) => [i.kind === 'record' ? JSON.parse(i.text).n : i.reason, i.line])).toEqual([
      [1, 1],
      ['not-an-object', 4],
      ['invalid-json', 5],
      [4, 6],
    ]);
    const pretty = split(JSON.stringify({ Records: [sm(5), other(6), sm(7)] }, null, 2), chunk).items;
    expect(pretty.map((i) => [i.kind === 'record' ? JSON.parse(i.text).n : i.reason, i.line])).toEqual([
      [5, 3],
      [7, 13],
    ]);
  });

  test('Records need not be the first key, and a string value "Records" is not the key', () => {
    const text = JSON.stringify({ note: 'Records', other: [sm(9)], Records: [sm(1), sm(2)] });
    expect(records(text).map((r) => (r as { n: number }).n)).toEqual([1, 2]);
  });

  test('a top-level array of records (as Stratus Red Team publishes them)', () => {
    expect(records(JSON.stringify([sm(1), other(2), sm(3)]), 5)).toEqual([sm(1), sm(3)]);
  });

  test('a single pretty-printed record', () => {
    expect(records(JSON.stringify(sm(1), null, 2))).toEqual([sm(1)]);
  });

  test('an EventBridge event is one record', () => {
    const event = { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager', detail: sm(1) };
    expect(records(JSON.stringify(event, null, 2))).toEqual([event]);
  });

  test('JSON Lines, with CRLF and blank lines', () => {
    const text = [sm(1), other(2), sm(3)].map((r) => JSON.stringify(r)).join('\r\n\r\n') + '\n';
    expect(records(text, 3)).toEqual([sm(1), sm(3)]);
  });

  test('a truncated line in JSON Lines is reported and the next line still read', () => {
    const lines = [JSON.stringify(sm(1)), JSON.stringify(sm(2)).slice(0, 30), JSON.stringify(sm(3)), JSON.stringify(sm(4))];
    expect(records(lines.join('\n'), 4)).toEqual([sm(1), { invalid: 'invalid-json' }, sm(3), sm(4)]);
  });

  test('a truncated file keeps the records before the cut', () => {
    const text = RECORDS_FILE.slice(0, RECORDS_FILE.indexOf('"n":3'));
    expect(records(text)).toEqual([sm(1), { invalid: 'invalid-json' }]);
  });

  test('top-level values that are not objects', () => {
    expect(records('42\n"x"\n' + JSON.stringify(sm(1)) + '\n')).toEqual([{ invalid: 'not-an-object' }, { invalid: 'not-an-object' }, sm(1)]);
  });

  test('a stray closing bracket is reported and the line skipped', () => {
    expect(records(']] junk\n' + JSON.stringify(sm(1)) + '\n')).toEqual([{ invalid: 'invalid-json' }, sm(1)]);
  });

  test('a record over the size limit is reported, not buffered, and the next record is read', () => {
    const huge = sm(2, { padding: 'x'.repeat(MAX_RECORD_BYTES + 10) });
    const text = JSON.stringify({ Records: [sm(1), huge, sm(3)] });
    expect(records(text, 64 * 1024)).toEqual([sm(1), { invalid: 'record-too-large' }, sm(3)]);
  });

  test('syntax errors inside a record are left to the parser', () => {
    const { items } = split('{"eventSource":"secretsmanager.amazonaws.com", oops}\n');
    expect(items).toHaveLength(1);
    expect(items[0].kind).toBe('record');
  });

  test('empty input gives nothing', () => {
    expect(split('').items).toEqual([]);
    expect(split('  \n\n').items).toEqual([]);
  });

  test('multi-byte characters split across chunks survive', () => {
    const record = sm(1, { who: 'Jürgen 🚀 Ωmega' });
    expect(records(JSON.stringify({ Records: [record] }), 1)).toEqual([record]);
  });

  test('deep nesting does not recurse', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => split(deep)).not.toThrow();
  });

  test('every chunking of tricky input gives the items of one chunk: escapes, nesting and strings across boundaries', () => {
    const tricky = sm(1, {
      policy: '{"Statement":[{"Effect":"Allow","Principal":"*"}]}',
      escapes: 'a\\"b\\\\c\\n"\\',
      nested: { a: [{ b: { c: ['}', ']', '{', '['] } }, [], {}], d: '\\u007d' },
      long: 'x'.repeat(37),
    });
    const inputs = [
      JSON.stringify({ Records: [other(0), tricky, other(2), sm(3, { s: '\\' }), other(4)] }),
      JSON.stringify({ Records: [tricky] }, null, 2),
      `${JSON.stringify(tricky)}\n${JSON.stringify(other(5))}\n{"eventSource":"secretsmanager","cut":"no end\n${JSON.stringify(sm(6))}\n`,
      JSON.stringify([other(7), tricky, [1, { x: '}' }], sm(8)]),
    ];
    for (const input of inputs) {
      const whole = split(input);
      for (let chunk = 1; chunk <= 40; chunk++) expect(split(input, chunk)).toEqual(whole);
      for (const item of whole.items) if (item.kind === 'record') expect(() => JSON.parse(item.text)).not.toThrow();
    }
    expect(records(inputs[0]).map((r) => (r as { n?: number }).n)).toEqual([1, 3]);
  });
});
