import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueExamples } from '../../scripts/catalogue-examples';
import { checkFamilies } from '../../src/checks';
import { alertCatalogue, type CatalogueExample } from '../../src/findings/catalogue';

const ROOT = join(__dirname, '..', '..');
let examples: Map<string, CatalogueExample>;
beforeAll(async () => {
  examples = await catalogueExamples(ROOT);
});

test('docs/alerts.md is the catalogue generated from the checks and the samples (run `npm run docs` after changing a check)', () => {
  const committed = readFileSync(join(ROOT, 'docs', 'alerts.md'), 'utf8');
  expect(committed).toBe(alertCatalogue(checkFamilies(), examples));
});

test('every check is in the catalogue once', () => {
  const ids = checkFamilies().flatMap((f) => f.checks.map((c) => c.id));
  expect(new Set(ids).size).toBe(ids.length);
  const doc = alertCatalogue(checkFamilies(), examples);
  for (const id of ids) expect(doc).toContain(`### ${id}\n`);
});

test('every check has an example message, raised by the check itself on a sample, at one of its own severities', () => {
  for (const family of checkFamilies()) {
    for (const check of family.checks) {
      const example = examples.get(check.id);
      expect({ check: check.id, example: Boolean(example) }).toEqual({ check: check.id, example: true });
      expect(check.severities).toContain(example?.finding.severity);
      expect(example?.source).toMatch(/^samples\//);
    }
  }
});

test('an entry shows the email subject and body, and how to respond', () => {
  const doc = alertCatalogue(checkFamilies(), examples);
  const entry = doc.slice(doc.indexOf('### secret-force-deleted'), doc.indexOf('### ', doc.indexOf('### secret-force-deleted') + 4));
  expect(entry).toContain('```text\nSubject: [CRITICAL] Secret ');
  expect(entry).toContain('What to do:');
  expect(entry).toMatch(/\*\*How to respond\.\*\* The secret cannot be restored/);
});

test('a check without a sample says so instead of showing nothing', () => {
  const doc = alertCatalogue([
    { name: 'X', checks: [{ id: 'x', family: 'deletion', title: 'X', description: 'd', severityRule: 's', severities: ['LOW'], monitor: 'deletionMonitor', events: [], settings: [] }] },
  ]);
  expect(doc).toContain('No example: no sample in `samples/` raises this check yet.');
});
