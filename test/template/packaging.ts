/**
 * Runs `serverless package` for the template tests, once per jest run (globalSetup.ts), and loads
 * the results. Each variant is one set of deploy parameters; packaging costs seconds, so there
 * are few of them and each covers several parameters at once.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const STAGE = 'dev';
export const REGION = 'eu-west-1';
export const TEMPLATE_FILE = 'cloudformation-template-update-stack.json';

export interface Variant {
  params: Record<string, string>;
  /** Packaged into the service's own `.serverless/`; else into a temporary directory. */
  inServiceDir?: boolean;
}

/**
 * Every `serverless package` run empties the service's `.serverless/` (it is the Framework's
 * scratch directory), so the variant packaged there comes last and nothing packages after it.
 */
export const VARIANTS = {
  /** One email; the default bus; settings that the resolver normalises. */
  oneEmail: {
    params: {
      alertEmails: 'secops@example.com',
      findingsBusName: 'default',
      notifyMinSeverity: 'high',
      trustedAccounts: '111111111111, 222222222222',
      logLevel: 'debug',
      scanIntervalHours: '1',
      fullDigestWeekday: 'fri',
      requireCustomerManagedKey: 'yes',
      // The Slack notifier, with a full secret ARN and the default slackMinSeverity.
      slackWebhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:secretwatch/slack-webhook-AbCdEf',
    },
  },
  /** Two emails; an existing bus; another metric namespace; policyMonitor remediation and Access Analyzer on; Security Hub on. */
  twoEmails: {
    params: {
      alertEmails: 'secops@example.com, On-Call+secrets@example.org',
      findingsBusName: 'central-findings',
      metricNamespace: 'Custom/SecretWatch',
      minRecoveryWindowDays: '14',
      trustedOrgId: 'o-a1b2c3d4e5',
      remediatePublicPolicy: 'true',
      confirmWithAccessAnalyzer: 'On',
      scanIntervalHours: '168',
      maxRotationDays: '30',
      unusedDays: '365',
      // The Slack notifier with a partial secret ARN (the name only) and a customer-managed key;
      // AWS Chatbot; separate ops addresses; other email and Slack thresholds.
      slackWebhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:secretwatch/slack',
      slackWebhookSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      slackMinSeverity: 'high',
      emailMinSeverity: 'critical',
      opsEmails: 'ops@example.com',
      chatbotSlackWorkspaceId: 'T0123ABCD',
      chatbotSlackChannelId: 'C0123ABCD',
      // Findings imported into Security Hub; closed ones posted to Slack.
      securityHub: 'true',
      slackResolved: 'true',
    },
  },
  /** No --param at all: every default (no email, a bus created by the stack). Last, see above. */
  defaults: { params: {}, inServiceDir: true },
} satisfies Record<string, Variant>;
export type VariantName = keyof typeof VARIANTS;

/**
 * The organization deployment modes (serverless/organization.js), apart from VARIANTS: most template
 * tests go over every variant's functions, and a member stack has none.
 */
export const CENTRAL_BUS_ARN = 'arn:aws:events:eu-west-1:999999999999:event-bus/secretwatch-central-dev';
export const ORGANIZATION_ID = 'o-a1b2c3d4e5';
/** The member accounts the central variant's inventory scan assumes a role in. */
export const SCAN_ACCOUNTS = ['222233334444', '333344445555'];
export const MODE_VARIANTS = {
  central: { params: { mode: 'central', organizationId: ORGANIZATION_ID, scanAccounts: SCAN_ACCOUNTS.join(',') } },
  member: { params: { mode: 'member', centralBusArn: CENTRAL_BUS_ARN } },
} satisfies Record<string, Variant>;
export type ModeVariantName = keyof typeof MODE_VARIANTS;

/**
 * Stacks in other regions than REGION: a us-east-1 stack is the only standalone one that receives
 * IAM's events, so it alone has identityMonitor.
 */
export const REGION_VARIANTS = {
  usEast1: { region: 'us-east-1', params: { identityExemptPrincipals: 'arn:aws:iam::123456789012:role/break-glass*,arn:aws:iam::*:role/deploy' } },
  usEast1IdentityOff: { region: 'us-east-1', params: { identityMonitor: 'false' } },
} satisfies Record<string, { region: string; params: Record<string, string> }>;
export type RegionVariantName = keyof typeof REGION_VARIANTS;

/** Runs expected to fail (before packaging anything), recorded for the tests. */
export const FAILING_RUNS = {
  badEmail: { alertEmails: 'secops@example.com,not-an-email' },
  memberWithoutBus: { mode: 'member' },
  centralWithMemberParam: { mode: 'central', organizationId: 'o-a1b2c3d4e5', centralBusArn: 'arn:aws:events:eu-west-1:999999999999:event-bus/x' },
  unknownMode: { mode: 'satellite' },
  organizationAndList: { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: '222233334444', scanOrganization: 'true' },
} satisfies Record<string, Record<string, string>>;
export type FailingRunName = keyof typeof FAILING_RUNS;

const MANIFEST_ENV = 'SECRETWATCH_TEMPLATE_PACKAGES';

/** Offline and without credentials: packaging must never need AWS. */
function packagingEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  const nowhere = join(tmpdir(), 'secretwatch-no-aws-config');
  return { ...env, SLS_TELEMETRY_DISABLED: '1', AWS_CONFIG_FILE: nowhere, AWS_SHARED_CREDENTIALS_FILE: nowhere, AWS_EC2_METADATA_DISABLED: 'true' };
}

export interface PackageResult {
  status: number | null;
  output: string;
}

/**
 * One `serverless package` run; `outDir` undefined: the default `.serverless/`. `serviceDir`: a
 * copy of the service to package in (see serviceCopy), for a test that may run while another
 * packages the repository itself (serverless-esbuild's `.esbuild/` is per service directory).
 */
export function runPackage(params: Record<string, string>, outDir?: string, serviceDir: string = ROOT, region: string = REGION): PackageResult {
  const args = ['package', '--stage', STAGE, '--region', region];
  if (outDir) args.push('--package', outDir);
  for (const [name, value] of Object.entries(params)) args.push('--param', `${name}=${value}`);
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'serverless'), args, {
    cwd: serviceDir,
    env: packagingEnv(),
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

/** What `serverless package` reads, copied to `dir` (node_modules linked): a service of its own. */
export function serviceCopy(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['serverless.yml', 'package.json', 'tsconfig.json', 'serverless', 'handlers', 'src', 'rules']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Packages every variant; returns variant -> package directory. Called by globalSetup. */
export function packageAllVariants(): Record<VariantName, string> {
  const base = join(tmpdir(), 'secretwatch-template-tests');
  mkdirSync(base, { recursive: true });
  // Leftovers of earlier runs (a run cannot clean up after itself without a globalTeardown).
  for (const entry of readdirSync(base)) {
    const path = join(base, entry);
    if (Date.now() - statSync(path).mtimeMs > 60 * 60 * 1000) rmSync(path, { recursive: true, force: true });
  }
  const runDir = mkdtempSync(join(base, 'run-'));
  const failures = {} as Record<FailingRunName, PackageResult>;
  for (const [name, params] of Object.entries(FAILING_RUNS) as [FailingRunName, Record<string, string>][]) {
    failures[name] = runPackage(params, join(runDir, name));
  }
  const modes = {} as Record<ModeVariantName, string>;
  for (const [name, variant] of Object.entries(MODE_VARIANTS) as [ModeVariantName, Variant][]) {
    const dir = join(runDir, `mode-${name}`);
    const result = runPackage(variant.params, dir);
    if (result.status !== 0 || !existsSync(join(dir, TEMPLATE_FILE))) {
      throw new Error(`serverless package failed for mode ${name} (exit ${result.status}):\n${result.output}`);
    }
    modes[name] = dir;
  }
  const regions = {} as Record<RegionVariantName, string>;
  for (const [name, variant] of Object.entries(REGION_VARIANTS) as [RegionVariantName, (typeof REGION_VARIANTS)[RegionVariantName]][]) {
    const dir = join(runDir, `region-${name}`);
    const result = runPackage(variant.params, dir, ROOT, variant.region);
    if (result.status !== 0 || !existsSync(join(dir, TEMPLATE_FILE))) {
      throw new Error(`serverless package failed for ${name} (exit ${result.status}):\n${result.output}`);
    }
    regions[name] = dir;
  }
  const dirs = {} as Record<VariantName, string>;
  for (const [name, variant] of Object.entries(VARIANTS) as [VariantName, Variant][]) {
    const dir = variant.inServiceDir ? join(ROOT, '.serverless') : join(runDir, name);
    const started = Date.now();
    const result = runPackage(variant.params, variant.inServiceDir ? undefined : dir);
    if (result.status !== 0 || !existsSync(join(dir, TEMPLATE_FILE))) {
      throw new Error(`serverless package failed for variant ${name} (exit ${result.status}):\n${result.output}`);
    }
    process.stderr.write(`  packaged ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    dirs[name] = dir;
  }
  const manifest = join(runDir, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ createdAt: new Date().toISOString(), dirs, modes, regions, failures }, null, 2));
  process.env[MANIFEST_ENV] = manifest;
  return dirs;
}

interface Manifest {
  dirs: Record<VariantName, string>;
  modes: Record<ModeVariantName, string>;
  regions: Record<RegionVariantName, string>;
  failures: Record<FailingRunName, PackageResult>;
}
let cachedManifest: Manifest | undefined;

/** What globalSetup packaged in this run (its manifest's path is passed down in the environment). */
function manifest(): Manifest {
  if (cachedManifest) return cachedManifest;
  const path = process.env[MANIFEST_ENV];
  if (!path || !existsSync(path)) {
    throw new Error('no packaged templates for this run: run the template tests through jest (`npx jest --selectProjects template`), whose globalSetup packages the service');
  }
  cachedManifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  return cachedManifest;
}

/** The package directory of each variant. */
export function packageDirs(): Record<VariantName, string> {
  return manifest().dirs;
}

/** The recorded result of a run expected to fail. */
export function failedRun(name: FailingRunName): PackageResult {
  return manifest().failures[name];
}

// --- The template ------------------------------------------------------------------------------

export interface Resource {
  Type: string;
  Properties?: Record<string, any>;
  DependsOn?: string | string[];
  Condition?: string;
}
export interface Template {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
}

/** The template of a stack in another region (REGION_VARIANTS). */
export function loadRegionTemplate(name: RegionVariantName): Template {
  return loadTemplateFrom(manifest().regions[name]);
}

/** The package directory of a stack in another region (REGION_VARIANTS). */
export function regionPackageDir(name: RegionVariantName): string {
  return manifest().regions[name];
}

/** The package directory of a deployment mode (MODE_VARIANTS). */
export function modePackageDir(mode: ModeVariantName): string {
  return manifest().modes[mode];
}

const modeTemplates = new Map<ModeVariantName, Template>();
/** The template of a deployment mode (MODE_VARIANTS). */
export function loadModeTemplate(mode: ModeVariantName): Template {
  let template = modeTemplates.get(mode);
  if (!template) {
    template = loadTemplateFrom(manifest().modes[mode]);
    modeTemplates.set(mode, template);
  }
  return template;
}

const templates = new Map<VariantName, Template>();
/** The template of a package directory made outside globalSetup (e.g. by an integration test). */
export function loadTemplateFrom(dir: string): Template {
  return JSON.parse(readFileSync(join(dir, TEMPLATE_FILE), 'utf8')) as Template;
}

export function loadTemplate(variant: VariantName = 'defaults'): Template {
  let template = templates.get(variant);
  if (!template) {
    template = JSON.parse(readFileSync(join(packageDirs()[variant], TEMPLATE_FILE), 'utf8')) as Template;
    templates.set(variant, template);
  }
  return template;
}

export function resourcesOfType(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function resource(template: Template, logicalId: string): Resource {
  const r = template.Resources[logicalId];
  if (!r) throw new Error(`resource ${logicalId} not in the template`);
  return r;
}

/** The logical id behind {Ref: id} or {Fn::GetAtt: [id, attribute]}; undefined for anything else. */
export function referencedId(value: unknown, attribute?: string): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (attribute === undefined && typeof v.Ref === 'string') return v.Ref;
  const getAtt = v['Fn::GetAtt'];
  if (Array.isArray(getAtt) && (attribute === undefined || getAtt[1] === attribute)) return String(getAtt[0]);
  if (typeof getAtt === 'string') {
    const [id, attr] = getAtt.split('.');
    if (attribute === undefined || attr === attribute) return id;
  }
  return undefined;
}

export const PSEUDO = { 'AWS::Partition': 'aws', 'AWS::Region': REGION, 'AWS::AccountId': '123456789012', 'AWS::URLSuffix': 'amazonaws.com' } as Record<string, string>;

/**
 * Renders an intrinsic-function value as text, with pseudo parameters filled in and references to
 * resources as `<Id>` / `<Id.Attr>`: enough to compare ARNs however the template spells them.
 */
export function render(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(render).join(',');
  if (!value || typeof value !== 'object') return String(value);
  const v = value as Record<string, any>;
  if (typeof v.Ref === 'string') return PSEUDO[v.Ref] ?? `<${v.Ref}>`;
  if (v['Fn::GetAtt']) {
    const [id, attr] = Array.isArray(v['Fn::GetAtt']) ? v['Fn::GetAtt'] : String(v['Fn::GetAtt']).split('.');
    return `<${id}.${attr}>`;
  }
  if (v['Fn::Join']) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(separator);
  }
  if (v['Fn::Sub'] !== undefined) {
    const [text, vars] = Array.isArray(v['Fn::Sub']) ? (v['Fn::Sub'] as [string, Record<string, unknown>]) : [v['Fn::Sub'] as string, {}];
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (vars[name] !== undefined) return render(vars[name]);
      if (PSEUDO[name] !== undefined) return PSEUDO[name];
      const [id, attr] = name.split('.');
      return attr ? `<${id}.${attr}>` : `<${id}>`;
    });
  }
  return JSON.stringify(value);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

// --- The function packages -------------------------------------------------------------------

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  offset: number;
  method: number;
}

// One zip reader for the tests and the benchmark (serverless/zip.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const zip = require('../../serverless/zip.js') as {
  zipEntries(zipPath: string): ZipEntry[];
  zipEntryContent(zipPath: string, name: string): Buffer;
  extractZip(zipPath: string, dest: string): string[];
};
export const { zipEntries, zipEntryContent, extractZip } = zip;
