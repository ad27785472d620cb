import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFamilies } from '../src/checks';
import { alertCatalogue } from '../src/findings/catalogue';
import { catalogueExamples } from './catalogue-examples';

async function main(): Promise<void> {
  const root = process.cwd();
  const path = join(root, 'docs', 'alerts.md');
  writeFileSync(path, alertCatalogue(checkFamilies(), await catalogueExamples(root)));
  process.stdout.write(`wrote ${path}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`generate-docs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
