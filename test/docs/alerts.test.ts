import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFamilies } from '../../src/checks';
import { alertCatalogue } from '../../src/findings/catalogue';

test('docs/alerts.md is the catalogue generated from the checks (run `npm run docs` after changing a check)', () => {
  const committed = readFileSync(join(__dirname, '..', '..', 'docs', 'alerts.md'), 'utf8');
  expect(committed).toBe(alertCatalogue(checkFamilies));
});

test('every check is in the catalogue once', () => {
  const ids = checkFamilies.flatMap((f) => f.checks.map((c) => c.id));
  expect(new Set(ids).size).toBe(ids.length);
  const doc = alertCatalogue(checkFamilies);
  for (const id of ids) expect(doc).toContain(`### ${id}\n`);
});
