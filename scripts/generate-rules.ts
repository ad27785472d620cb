// Writes rules/*.json, one EventBridge pattern per rule, from the events the checks declare (the
// same patterns the deployment and replay use), and removes the files of rules that no check names
// any more. test/template/rules.test.ts fails when the files and the checks disagree.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleFiles } from './ruleFiles';

function main(): void {
  const root = process.cwd();
  const dir = join(root, 'rules');
  mkdirSync(dir, { recursive: true });
  const files = ruleFiles();
  for (const file of files) writeFileSync(join(root, file.path), file.text);
  const kept = new Set(files.map((f) => f.path));
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    if (!kept.has(`rules/${name}`)) rmSync(join(dir, name));
  }
  process.stdout.write(`wrote ${files.map((f) => f.path).join(', ')}\n`);
}

main();
