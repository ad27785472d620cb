import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// DESIGN section 1: data flows one way, and the checks stay pure so that the same logic runs in
// Lambda, in `replay` and in `scan`. These rules are checked on the source text.
const ROOT = join(__dirname, '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm), ...text.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
}

const checks = tsFiles(join(ROOT, 'src', 'checks'));

test.each(checks.map((f) => [relative(ROOT, f), f]))('%s is pure: no delivery, no AWS SDK, no environment, no I/O', (_name, file) => {
  const imports = importsOf(file);
  expect(imports.filter((i) => /(^|\/)delivery(\/|$)|^@aws-sdk\/|^node:(fs|net|http|https|child_process)$|^(fs|net|http|https|child_process)$/.test(i))).toEqual([]);
  expect(readFileSync(file, 'utf8')).not.toMatch(/process\.env/);
});

test('only handlers, the CLI and the Lambda runtime wiring read process.env', () => {
  const readers = tsFiles(join(ROOT, 'src'))
    .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  expect(readers.filter((f) => !/^src\/(cli|runtime)\//.test(f))).toEqual([]);
});

test('no code under src/ calls GetSecretValue on a monitored secret', () => {
  const callers = tsFiles(join(ROOT, 'src'))
    .filter((f) => /GetSecretValueCommand/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  // The Slack notifier (issue 5) reads its own webhook secret; nothing else may.
  expect(callers.filter((f) => !/slack/i.test(f))).toEqual([]);
});
