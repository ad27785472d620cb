/**
 * docs/configuration.md and the README's configuration table against the config schema: every
 * setting is documented once, with its environment variable and its default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_KEYS, DEFAULT_CONFIG, envName } from '../../src/config/config';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no section "${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

function cells(row: string): string[] {
  return row
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

function documentedDefault(value: unknown): string {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return '(none)';
  return `\`${String(value)}\``;
}

const settingsRows = section(doc, 'Settings')
  .split('\n')
  .filter((l) => /^\| `[a-zA-Z]+` \|/.test(l))
  .map(cells);

test('docs/configuration.md has one row per setting of the schema, and no other', () => {
  expect(settingsRows.map((r) => r[0].replace(/`/g, '')).sort()).toEqual([...CONFIG_KEYS].sort());
});

test.each(CONFIG_KEYS)('%s: its environment variable and its default', (key) => {
  const row = settingsRows.find((r) => r[0] === `\`${key}\``) as string[];
  expect(row[1]).toBe(`\`${envName(key)}\``);
  expect(row[3]).toBe(documentedDefault(DEFAULT_CONFIG[key]));
  expect(row[5].length).toBeGreaterThan(20);
});

test.each(CONFIG_KEYS)('the README configuration table has %s with its environment variable', (key) => {
  const row = readme.split('\n').find((l) => l.startsWith(`| ${key} | `));
  expect(row).toBeDefined();
  expect(cells(row as string)[1]).toBe(envName(key));
});
