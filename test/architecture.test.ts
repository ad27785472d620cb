import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';

// Data flows one way: event -> parse -> route -> check -> finding -> deliver. The checks stay pure
// so that the same logic runs in Lambda, in `replay` and in `scan`; delivery sends what a finding
// carries without knowing the checks; only handlers, the CLI and the Lambda wiring read the
// environment. These rules are checked on the source text.
const ROOT = join(__dirname, '..');
const SRC = join(ROOT, 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

interface Import {
  specifier: string;
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...[...text.matchAll(/^\s*(import|export)\s(type\s)?[^'"]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => ({ specifier: m[3], typeOnly: Boolean(m[2]) })),
    ...[...text.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => ({ specifier: m[1], typeOnly: false })),
    ...[...text.matchAll(/(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => ({ specifier: m[1], typeOnly: false })),
  ];
}

/** The top-level folder of src/ that a relative import lands in, or the package for a bare one. */
function target(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const rel = relative(SRC, resolve(dirname(file), specifier));
  return rel.startsWith('..') ? `../${rel}` : rel.split('/')[0];
}

const IO = /^(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|tls)$/;

/**
 * What each folder of src/ may not import. Type-only imports count too except where said: a type
 * costs nothing at run time but still ties the code to the other folder's model.
 */
const FORBIDDEN: Record<string, { folders: string[]; packages?: RegExp; allowTypeOnly?: string[] }> = {
  checks: { folders: ['delivery', 'inventory', 'runtime', 'monitors', 'cli', 'dashboard', 'followups'], packages: /^@aws-sdk\// },
  delivery: { folders: ['checks', 'monitors', 'inventory', 'runtime', 'cli', 'followups', 'policy'] },
  findings: { folders: ['checks', 'delivery', 'monitors', 'inventory', 'runtime', 'cli', 'followups', 'policy'], packages: /^@aws-sdk\//, allowTypeOnly: ['checks'] },
  resources: { folders: ['checks', 'delivery', 'findings', 'monitors', 'inventory', 'runtime', 'cli', 'followups', 'policy', 'events', 'config'], packages: /^@aws-sdk\// },
  policy: { folders: ['checks', 'delivery', 'findings', 'monitors', 'inventory', 'runtime', 'cli', 'followups', 'events', 'config'], packages: /^@aws-sdk\// },
  patterns: { folders: ['checks', 'delivery', 'findings', 'monitors', 'inventory', 'runtime', 'cli', 'followups', 'policy', 'events', 'config', 'resources'], packages: /^@aws-sdk\// },
  events: { folders: ['checks', 'delivery', 'monitors', 'inventory', 'runtime', 'cli', 'followups', 'policy'], packages: /^@aws-sdk\// },
  inventory: { folders: ['checks', 'delivery', 'monitors', 'runtime', 'cli', 'followups'] },
  monitors: { folders: ['delivery', 'inventory', 'cli'] },
};

const cases = Object.entries(FORBIDDEN).flatMap(([folder, rule]) => tsFiles(join(SRC, folder)).map((file) => [relative(ROOT, file), file, folder, rule] as const));

test.each(cases)('%s imports nothing its folder may not', (_name, file, folder, rule) => {
  const bad = importsOf(file)
    .filter((i) => !(i.typeOnly && rule.allowTypeOnly?.includes(target(file, i.specifier))))
    .map((i) => target(file, i.specifier))
    .filter((t) => rule.folders.includes(t) || t.startsWith('../') || (rule.packages?.test(t) ?? false));
  expect({ folder, bad }).toEqual({ folder, bad: [] });
});

test.each(tsFiles(join(SRC, 'checks')).map((f) => [relative(ROOT, f), f]))('%s is pure: no I/O, no environment', (_name, file) => {
  expect(importsOf(file).filter((i) => IO.test(i.specifier))).toEqual([]);
  expect(readFileSync(file, 'utf8')).not.toMatch(/process\.env/);
});

test('only handlers, the CLI and the Lambda runtime wiring read process.env', () => {
  const readers = tsFiles(SRC)
    .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  expect(readers.filter((f) => !/^src\/(cli|runtime)\//.test(f))).toEqual([]);
});

test('no code under src/ calls GetSecretValue on a monitored secret', () => {
  const callers = tsFiles(SRC)
    .filter((f) => /GetSecretValueCommand/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  // The Slack notifier reads its own webhook URL from its secret; nothing else may.
  expect(callers.filter((f) => !/slack/i.test(f))).toEqual([]);
});

test('the Slack notifier carries no check code and no policy analyzer', () => {
  const out = buildSync({
    entryPoints: [join(ROOT, 'handlers', 'slackNotifier.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    packages: 'external',
  });
  const inputs = Object.keys(out.metafile.inputs);
  expect(inputs.some((i) => i.startsWith('handlers/'))).toBe(true);
  expect(inputs.filter((i) => /^src\/(checks|policy|monitors)\//.test(i))).toEqual([]);
});

test('no comment cites the design notes or an issue: readers of the repository cannot open them', () => {
  const files = [...tsFiles(SRC), ...tsFiles(join(ROOT, 'handlers')), ...tsFiles(join(ROOT, 'test'))];
  const citing = files.filter((f) => /\bDESIGN(\.md)?\b|\b[Ii]ssue \d+\b/.test(readFileSync(f, 'utf8').replace(/\/\bDESIGN.*?\/[gimsuy]*/g, ''))).map((f) => relative(ROOT, f));
  expect(citing.filter((f) => f !== 'test/architecture.test.ts')).toEqual([]);
});
