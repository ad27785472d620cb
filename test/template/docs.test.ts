/**
 * docs/deploy.md against what serverless.yml declares: every deploy parameter is documented with
 * its default, and the deploy and remove commands are there, as an operator would type them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, packageDirs } from './packaging';

const doc = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
const state = JSON.parse(readFileSync(join(packageDirs().defaults, 'serverless-state.json'), 'utf8'));
const declared: Record<string, string> = state.service.initialServerlessConfig.params.default;

test('serverless.yml declares deploy parameters', () => {
  expect(Object.keys(declared)).toEqual(expect.arrayContaining(['alertEmails', 'findingsBusName', 'notifyMinSeverity', 'minRecoveryWindowDays', 'trustedAccounts', 'metricNamespace', 'logLevel']));
});

test.each(Object.entries(declared))('parameter %s is documented with its default (%j)', (name, value) => {
  const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  expect(row).toBeDefined();
  const defaultCell = (row as string).split('|')[2].trim();
  if (value === '') expect(defaultCell).toMatch(/^\(.+\)$/);
  else expect(defaultCell).toBe(`\`${value}\``);
});

test('the deploy and remove commands are documented', () => {
  expect(doc).toContain('npx serverless deploy --stage prod --region eu-west-1 --param "alertEmails=a@example.com,b@example.com"');
  expect(doc).toContain('npx serverless remove --stage prod --region eu-west-1');
});
