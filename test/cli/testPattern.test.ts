import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runTestPattern } from '../../src/cli/testPattern';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'secretwatch-test-pattern-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(patternPath: string, eventPaths: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture();
  const stderr = capture();
  const code = await runTestPattern(patternPath, eventPaths, { stdout: stdout.stream, stderr: stderr.stream, cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const deletion = JSON.stringify({ source: ['aws.secretsmanager'], detail: { eventName: ['DeleteSecret'] } });
const deleteEvent = { source: 'aws.secretsmanager', detail: { eventName: 'DeleteSecret' } };
const getEvent = { source: 'aws.secretsmanager', detail: { eventName: 'GetSecretValue' } };

describe('secretwatch test-pattern', () => {
  it('prints true or false for a file holding one pretty-printed event', async () => {
    const pattern = file('pattern.json', deletion);
    const event = file('event.json', JSON.stringify(deleteEvent, null, 2));
    await expect(run(pattern, [event])).resolves.toEqual({ code: 0, stdout: 'true\n', stderr: '' });
  });

  it('prints one line per JSON Lines event, in order, across files, ignoring blank lines', async () => {
    const pattern = file('pattern.json', deletion);
    const lines = file('events.jsonl', `${JSON.stringify(getEvent)}\n\n${JSON.stringify(deleteEvent)}\r\n   \n${JSON.stringify(getEvent)}\n`);
    const single = file('single.json', JSON.stringify(deleteEvent));
    await expect(run(pattern, [lines, single])).resolves.toEqual({ code: 0, stdout: 'false\ntrue\nfalse\ntrue\n', stderr: '' });
  });

  it('exits 2 with EventBridge reason when the pattern is invalid, before reading events', async () => {
    const pattern = file('pattern.json', JSON.stringify({ detail: { state: 'running' } }));
    const result = await run(pattern, [join(dir, 'missing.json')]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: 'invalid pattern: "state" must be an object or an array\n' });
  });

  it('exits 2 when the pattern file is not JSON or cannot be read', async () => {
    const notJson = await run(file('pattern.json', '{"source": ['), []);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^invalid pattern: .*pattern\.json is not JSON: /);
    const missing = await run(join(dir, 'nope.json'), []);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: cannot read: no such file');
  });

  it('reports a bad JSON Lines line with file and line, still prints the valid events, exits 3', async () => {
    const pattern = file('pattern.json', deletion);
    const lines = file('events.jsonl', [JSON.stringify(deleteEvent), '{"source": "aws.secretsmanager", ', '[1, 2]', JSON.stringify(getEvent)].join('\n'));
    const result = await run(pattern, [lines]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('true\nfalse\n');
    const errors = result.stderr.trim().split('\n');
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/events\.jsonl:2: invalid event: /);
    expect(errors[1]).toMatch(/events\.jsonl:3: invalid event: not a JSON object but an array/);
  });

  it('reports a broken pretty-printed event once, at the line of the error', async () => {
    const pattern = file('pattern.json', deletion);
    const broken = file('broken.json', '{\n  "source": "aws.secretsmanager",\n  "detail": {\n    "eventName": DeleteSecret\n  }\n}\n');
    const good = file('good.json', JSON.stringify(deleteEvent));
    const result = await run(pattern, [broken, good]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('true\n');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/broken\.json:4: invalid event: /);
  });

  it('reports an unreadable event file, carries on with the others, exits 3', async () => {
    const pattern = file('pattern.json', deletion);
    const good = file('good.json', JSON.stringify(deleteEvent));
    const result = await run(pattern, [join(dir, 'missing.json'), good, dir]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('true\n');
    expect(result.stderr).toContain('missing.json: cannot read: no such file');
    expect(result.stderr).toContain(`${dir}: cannot read: is a directory`);
  });

  // Root reads every file whatever its mode, so this case can only be shown as another user.
  (process.getuid?.() === 0 ? it.skip : it)('reports a file it has no permission to read', async () => {
    const pattern = file('pattern.json', deletion);
    const locked = file('locked.json', JSON.stringify(deleteEvent));
    chmodSync(locked, 0o000);
    const result = await run(pattern, [locked]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('locked.json: cannot read: permission denied');
  });

  it('treats an empty event file as no events, and strips a byte-order mark', async () => {
    const pattern = file('pattern.json', `\ufeff${deletion}`);
    const empty = file('empty.json', '\n\n');
    const bom = file('bom.json', `\ufeff${JSON.stringify(deleteEvent)}`);
    await expect(run(pattern, [empty, bom])).resolves.toEqual({ code: 0, stdout: 'true\n', stderr: '' });
  });

  it('resolves relative paths against io.cwd', async () => {
    file('pattern.json', deletion);
    file('event.json', JSON.stringify(deleteEvent));
    await expect(run('pattern.json', ['event.json'], dir)).resolves.toEqual({ code: 0, stdout: 'true\n', stderr: '' });
  });

  it('matches with EventBridge semantics, not JavaScript equality', async () => {
    const pattern = file('pattern.json', JSON.stringify({ detail: { n: [5], ip: [{ cidr: '10.0.0.0/8' }] } }));
    const events = file('events.jsonl', ['{"detail": {"n": 5.0, "ip": "10.1.2.3"}}', '{"detail": {"n": "5", "ip": "10.1.2.3"}}', '{"detail": {"n": 5, "ip": "11.0.0.1"}}'].join('\n'));
    await expect(run(pattern, [events])).resolves.toEqual({ code: 0, stdout: 'true\nfalse\nfalse\n', stderr: '' });
  });
});
