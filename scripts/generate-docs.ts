import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFamilies } from '../src/checks';
import { alertCatalogue } from '../src/findings/catalogue';

const path = join(process.cwd(), 'docs', 'alerts.md');
writeFileSync(path, alertCatalogue(checkFamilies));
process.stdout.write(`wrote ${path}\n`);
