/**
 * docs/configuration.md against the packaged stack: every deploy parameter serverless.yml declares
 * and every environment variable a function receives, in any variant, is documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STAGE, VARIANTS, loadTemplate, packageDirs, resourcesOfType, type VariantName } from './packaging';

const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
const state = JSON.parse(readFileSync(join(packageDirs().defaults, 'serverless-state.json'), 'utf8'));
const declared = Object.keys(state.service.initialServerlessConfig.params.default as Record<string, string>);

test.each(declared)('deploy parameter %s is in docs/configuration.md', (name) => {
  const rows = doc.split('\n').filter((l) => l.startsWith('|') && l.includes(`\`${name}\``));
  expect(rows.length).toBeGreaterThan(0);
});

const functions = (Object.keys(VARIANTS) as VariantName[]).flatMap((v) =>
  resourcesOfType(loadTemplate(v), 'AWS::Lambda::Function').map(([, f]) => ({
    name: String(f.Properties?.FunctionName).replace(`secretwatch-${STAGE}-`, ''),
    variables: Object.keys(f.Properties?.Environment?.Variables ?? {}),
  })),
);

test.each([...new Set(functions.map((f) => f.name))])('function %s and each of its environment variables are documented', (name) => {
  const table = doc.slice(doc.indexOf('\n## Environment variables\n'));
  expect(table).toContain(`| \`${name}\` |`);
  for (const variable of new Set(functions.filter((f) => f.name === name).flatMap((f) => f.variables))) expect(doc).toContain(`\`${variable}\``);
});
