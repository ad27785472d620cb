import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compilePattern, InvalidPatternError, type CompiledPattern } from '../patterns';
import { EXIT } from './io';

export interface TestPatternIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Base for relative paths; the process's working directory when absent. */
  cwd?: string;
}

/** One event found in a file, or why a line of it is not one. */
type Entry = { line: number; event: object } | { line: number; error: string };

/**
 * `secretwatch test-pattern PATTERN.json EVENTS...`: an offline `aws events test-event-pattern`.
 * Prints `true` or `false` per event, one a line, in order. Exit 2 when the pattern is invalid,
 * 3 when some event file or line could not be used (reported on stderr; the rest still run).
 */
export async function runTestPattern(patternPath: string, eventPaths: string[], io: TestPatternIO): Promise<number> {
  const base = io.cwd ?? process.cwd();
  const pattern = await loadPattern(resolve(base, patternPath), patternPath, io);
  if (pattern === null) return EXIT.usage;

  let exitCode: number = EXIT.ok;
  for (const eventPath of eventPaths) {
    let text: string;
    try {
      text = await readFile(resolve(base, eventPath), 'utf8');
    } catch (error) {
      io.stderr.write(`secretwatch: ${eventPath}: cannot read: ${describe(error)}\n`);
      exitCode = EXIT.badInput;
      continue;
    }
    let results = '';
    for (const entry of parseEvents(text)) {
      if ('error' in entry) {
        io.stderr.write(`secretwatch: ${eventPath}:${entry.line}: invalid event: ${entry.error}\n`);
        exitCode = EXIT.badInput;
      } else {
        results += `${pattern.matches(entry.event)}\n`;
      }
    }
    if (results !== '') io.stdout.write(results);
  }
  return exitCode;
}

async function loadPattern(path: string, shown: string, io: TestPatternIO): Promise<CompiledPattern | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    io.stderr.write(`secretwatch: ${shown}: cannot read: ${describe(error)}\n`);
    return null;
  }
  let pattern: unknown;
  try {
    pattern = JSON.parse(stripBom(text));
  } catch (error) {
    io.stderr.write(`invalid pattern: ${shown} is not JSON: ${describe(error)}\n`);
    return null;
  }
  try {
    return compilePattern(pattern);
  } catch (error) {
    if (!(error instanceof InvalidPatternError)) throw error;
    io.stderr.write(`invalid pattern: ${error.reason}\n`);
    return null;
  }
}

/**
 * A file is one JSON event (pretty-printed or not) or JSON Lines. It is read as JSON Lines only
 * when it is not one JSON document and some line holds a whole JSON object on its own, so a
 * broken pretty-printed event is reported once, at the line of the first error.
 */
function parseEvents(raw: string): Entry[] {
  const text = stripBom(raw);
  if (text.trim() === '') return [];
  const whole = tryParse(text);
  if (whole.ok) {
    const line = 1 + countLines(text.slice(0, text.length - text.trimStart().length));
    return [asEntry(whole.value, line)];
  }
  const lines = text.split(/\r?\n/);
  const looksLikeJsonLines = lines.some((line) => {
    const parsed = line.trim() === '' ? null : tryParse(line);
    return parsed?.ok && isObject(parsed.value);
  });
  if (!looksLikeJsonLines) return [{ line: lineOfError(text), error: whole.error }];
  const entries: Entry[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = tryParse(line);
    entries.push(parsed.ok ? asEntry(parsed.value, i + 1) : { line: i + 1, error: parsed.error });
  });
  return entries;
}

function asEntry(value: unknown, line: number): Entry {
  // test-event-pattern wants an event object; an array or a scalar cannot be one.
  if (isObject(value)) return { line, event: value };
  return { line, error: `not a JSON object but ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}` };
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

/** The line of the first syntax error, which V8's JSON.parse messages do not always give. */
function lineOfError(text: string): number {
  const offset = syntaxErrorOffset(text);
  return 1 + countLines(text.slice(0, Math.max(offset, 0)));
}

const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const JSON_SCALAR = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'next' | 'done';

/** Offset where `text` stops being JSON, or -1. Iterative, so deep nesting cannot overflow. */
function syntaxErrorOffset(text: string): number {
  const open: string[] = [];
  let i = 0;
  const token = (regex: RegExp): boolean => {
    regex.lastIndex = i;
    if (!regex.test(text)) return false;
    i = regex.lastIndex;
    return true;
  };
  const afterValue = (): Expect => (open.length === 0 ? 'done' : 'next');
  let expect: Expect = 'value';
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
    if (i >= text.length) return expect === 'done' ? -1 : i;
    const c = text[i];
    const closer: string = expect === 'keyOrEnd' || (expect === 'next' && open[open.length - 1] === '{') ? '}' : ']';
    if (expect === 'done') return i;
    if (expect === 'colon') {
      if (c !== ':') return i;
      i++;
      expect = 'value';
    } else if ((expect === 'next' || expect === 'keyOrEnd' || expect === 'valueOrEnd') && c === closer) {
      i++;
      open.pop();
      expect = afterValue();
    } else if (expect === 'next') {
      if (c !== ',') return i;
      i++;
      expect = open[open.length - 1] === '{' ? 'key' : 'value';
    } else if (expect === 'key' || expect === 'keyOrEnd') {
      if (!token(JSON_STRING)) return i;
      expect = 'colon';
    } else if (c === '{' || c === '[') {
      open.push(c);
      i++;
      expect = c === '{' ? 'keyOrEnd' : 'valueOrEnd';
    } else {
      if (!token(JSON_STRING) && !token(JSON_SCALAR)) return i;
      expect = afterValue();
    }
  }
}

function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const FS_ERRORS: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'is a directory', EACCES: 'permission denied' };

function describe(error: unknown): string {
  // Duck-typed: errors from Node's fs may come from another realm (as under jest), where
  // instanceof Error is false.
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && code in FS_ERRORS) return FS_ERRORS[code];
  return typeof message === 'string' ? message : String(error);
}
