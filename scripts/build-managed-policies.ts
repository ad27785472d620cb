/**
 * Builds src/resources/awsManagedPolicies.json, the AWS managed policies that `secretwatch replay`
 * evaluates offline (the deployed function reads the live document from IAM instead).
 *
 *   node scripts/run-ts.js scripts/build-managed-policies.ts
 *
 * The documents are AWS's published managed policies as moto ships them (moto's
 * iam/aws_managed_policies.py, imported from AWS by moto's `make aws_managed_policies`), served by a
 * local moto_server started with MOTO_IAM_LOAD_MANAGED_POLICIES=true and read through IAM's own
 * API (ListPolicies, GetPolicyVersion), as the function reads them. Only what bears on Secrets
 * Manager is kept: of each statement, the Action patterns that can name a Secrets Manager action
 * (statements with NotAction whole, statements without such an action dropped); policies left with
 * no statement are listed by name, as evaluated and granting nothing on secrets.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetPolicyVersionCommand, IAMClient, paginateListPolicies } from '@aws-sdk/client-iam';
import { findMotoServer, Moto } from '../test/integration/motoServer';
import { WorkBudget } from '../src/policy';
import { globMatches } from '../src/policy/glob';
import { decodeIdentityPolicy } from '../src/policy/identity';

// run-ts.js bundles this file elsewhere and sets argv[1] to its path here.
const OUT = join(dirname(process.argv[1]), '..', 'src', 'resources', 'awsManagedPolicies.json');

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** An action pattern that can name a Secrets Manager action: its service part matches "secretsmanager". */
function namesSecretsManager(pattern: unknown): boolean {
  if (typeof pattern !== 'string') return false;
  const p = pattern.trim().toLowerCase();
  const colon = p.indexOf(':');
  return globMatches(colon >= 0 ? p.slice(0, colon) : p, 'secretsmanager', new WorkBudget());
}

function secretsManagerStatements(document: Record<string, unknown>): Record<string, unknown>[] {
  const kept: Record<string, unknown>[] = [];
  for (const raw of list(document.Statement)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const statement = raw as Record<string, unknown>;
    if (statement.NotAction !== undefined) {
      kept.push(statement);
      continue;
    }
    const actions = list(statement.Action).filter(namesSecretsManager);
    if (actions.length) kept.push({ ...statement, Action: actions.length === 1 ? actions[0] : actions });
  }
  return kept;
}

/** One policy a line: compact, and a rebuild's diff shows which policies changed. */
function tableText(table: { source: string; built: string; policies: Record<string, unknown>; grantNothing: string[] }): string {
  const entries = Object.entries(table.policies).map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  const names = table.grantNothing.map((name) => `  ${JSON.stringify(name)}`);
  return `{\n "source": ${JSON.stringify(table.source)},\n "built": ${JSON.stringify(table.built)},\n "policies": {\n${entries.join(',\n')}\n },\n "grantNothing": [\n${names.join(',\n')}\n ]\n}\n`;
}

async function main(): Promise<void> {
  const bin = findMotoServer();
  if (!bin) throw new Error('moto_server is not on PATH (pip install "moto[server]==5.2.*")');
  const motoVersion = execFileSync('python3', ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' }).trim();
  const moto = new Moto('env', ['MOTO_IAM_LOAD_MANAGED_POLICIES=true', bin]);
  await moto.start();
  try {
    const iam = new IAMClient(moto.clientConfig());
    const policies: Record<string, { versionId: string; updated: string | null; statements: Record<string, unknown>[] }> = {};
    const grantNothing: string[] = [];
    for await (const page of paginateListPolicies({ client: iam }, { Scope: 'AWS' })) {
      for (const policy of page.Policies ?? []) {
        if (!policy.Arn || !policy.DefaultVersionId) continue;
        const key = policy.Arn.slice(policy.Arn.indexOf(':policy/') + ':policy/'.length);
        const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.Arn, VersionId: policy.DefaultVersionId }));
        const text = decodeIdentityPolicy(version.PolicyVersion?.Document ?? '');
        const document = typeof text === 'string' ? (JSON.parse(text) as Record<string, unknown>) : (text as Record<string, unknown>);
        const statements = secretsManagerStatements(document);
        if (statements.length === 0) grantNothing.push(key);
        else policies[key] = { versionId: policy.DefaultVersionId, updated: policy.UpdateDate?.toISOString() ?? null, statements };
      }
    }
    const sorted = Object.fromEntries(Object.entries(policies).sort(([a], [b]) => a.localeCompare(b)));
    const table = {
      source: `AWS managed policies as published by AWS, from moto ${motoVersion} (iam/aws_managed_policies.py), read through moto_server's IAM API by scripts/build-managed-policies.ts`,
      built: new Date().toISOString().slice(0, 10),
      policies: sorted,
      grantNothing: grantNothing.sort(),
    };
    writeFileSync(OUT, tableText(table));
    process.stdout.write(`${OUT}: ${Object.keys(sorted).length} policies that name Secrets Manager actions, ${grantNothing.length} that do not\n`);
  } finally {
    await moto.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`build-managed-policies: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
