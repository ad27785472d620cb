/**
 * The example finding of each check for docs/alerts.md, produced by the checks' own code: the
 * event checks over the sample trail (samples/trail, as `npm start` replays it), the scan checks
 * over a derived inventory (samples/catalogue/list-secrets.json). The clock and the settings are
 * fixed, so the catalogue is the same on every run and changes only when a check does.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SecretListEntry } from '@aws-sdk/client-secrets-manager';
import { accountUnreachableFinding, type UnreachableAccount } from '../src/checks/central/scan-account-unreachable';
import { evaluateInventory } from '../src/checks/inventory/evaluate';
import { rolesReadableFromOtherAccounts } from '../src/checks/inventory/secrets-readable-from-other-account';
import { replay } from '../src/cli/replay/engine';
import { DEFAULT_CONFIG } from '../src/config/config';
import type { CatalogueExample } from '../src/findings/catalogue';
import { compareSeverity } from '../src/findings/severity';
import { inventorySecretOf } from '../src/inventory/normalise';
import type { InventorySecret } from '../src/resources/secret';

export const EXAMPLES_AS_OF = new Date('2024-06-01T00:00:00Z');
const DATE_FIELDS = ['CreatedDate', 'LastChangedDate', 'LastAccessedDate', 'LastRotatedDate', 'NextRotationDate', 'DeletedDate'] as const;

/** Keeps, per check, its most severe finding; the first one found among equals. */
function keep(examples: Map<string, CatalogueExample>, example: CatalogueExample): void {
  const current = examples.get(example.finding.check);
  if (!current || compareSeverity(example.finding.severity, current.finding.severity) < 0) examples.set(example.finding.check, example);
}

function inventory(path: string): InventorySecret[] {
  const { SecretList } = JSON.parse(readFileSync(path, 'utf8')) as { SecretList: Record<string, unknown>[] };
  return SecretList.map((raw) => {
    const entry: Record<string, unknown> = { ...raw };
    for (const field of DATE_FIELDS) if (typeof entry[field] === 'string') entry[field] = new Date(entry[field] as string);
    const secret = inventorySecretOf(entry as SecretListEntry);
    if (!secret) throw new Error(`${path}: an entry without an ARN`);
    return secret;
  });
}

export async function catalogueExamples(root: string): Promise<Map<string, CatalogueExample>> {
  const examples = new Map<string, CatalogueExample>();
  let file = '';
  const trail = join(root, 'samples', 'trail');
  // Replication is watched only once approved regions are set: the samples' own two.
  const stats = await replay(
    [trail],
    { config: { ...DEFAULT_CONFIG, approvedRegions: ['us-east-1', 'us-west-2'] }, now: EXAMPLES_AS_OF },
    {
      fileStarted: (path) => {
        file = relative(root, path);
      },
      finding: (finding) => keep(examples, { finding, source: file }),
    },
  );
  if (stats.filesFailed) throw new Error(`${stats.filesFailed} file(s) of ${trail} could not be read`);

  const listing = join(root, 'samples', 'catalogue', 'list-secrets.json');
  const scan = evaluateInventory(inventory(listing), { config: { ...DEFAULT_CONFIG, requireCustomerManagedKey: true }, now: EXAMPLES_AS_OF });
  for (const finding of scan.findings) keep(examples, { finding, source: relative(root, listing) });

  // Roles another account may assume, judged against the same inventory.
  const details = join(root, 'samples', 'catalogue', 'authorization-details.json');
  const secrets = inventory(listing);
  const readable = rolesReadableFromOtherAccounts({
    account: '111122223333',
    region: 'eu-west-1',
    authorizationDetails: [JSON.parse(readFileSync(details, 'utf8'))],
    secrets,
    trustedAccounts: DEFAULT_CONFIG.trustedAccounts,
  });
  for (const finding of readable) keep(examples, { finding, source: relative(root, details) });

  // The central scan's own finding: a member account whose scan role could not be assumed.
  const denied = join(root, 'samples', 'catalogue', 'assume-role-denied.json');
  const unreachable = JSON.parse(readFileSync(denied, 'utf8')) as Omit<UnreachableAccount, 'at'>;
  keep(examples, { finding: accountUnreachableFinding({ ...unreachable, at: EXAMPLES_AS_OF }), source: relative(root, denied) });
  return examples;
}
