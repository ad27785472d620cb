import * as z from '../schema/zod';
import { SEVERITIES, type Severity } from '../findings/severity';
import { ACCOUNT_ID, REGION_NAME } from '../resources/arn';

const positiveInt = (max: number) => z.pipe(z.coerce.number(), z.int().check(z.gte(1), z.lte(max)));
const accountId = z.string().check(z.regex(ACCOUNT_ID, 'must be a 12-digit AWS account id'));
const regionName = z.string().check(z.regex(REGION_NAME, 'must be a region name like eu-west-1'));
const splitCommas = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;
const commaList = z.preprocess(splitCommas, z.array(accountId));
const regionList = z.preprocess(splitCommas, z.array(regionName));
/** An IAM ARN, `*` and `?` allowed: arn:aws:iam::111122223333:role/break-glass-*. */
const iamArnPattern = z.string().check(z.regex(/^arn:(aws[a-z-]*|\*):iam::[0-9*?]*:[^\s,]+$/, 'must be IAM ARN patterns like arn:aws:iam::111122223333:role/break-glass*'));
const iamArnPatternList = z.preprocess(splitCommas, z.array(iamArnPattern));
const booleanText = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off', ''].includes(v)) return false;
    return value;
  },
  z.boolean({ error: 'must be true or false' }),
);
const severity = z.preprocess((value) => (typeof value === 'string' ? value.trim().toUpperCase() : value), z.enum(SEVERITIES));
export const WEEKDAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
/** "monday", "Mon" or "MONDAY"; the index of each name is its JavaScript getUTCDay(). */
const weekday = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toUpperCase();
  return WEEKDAYS.find((day) => day === v || (v.length === 3 && day.startsWith(v))) ?? value;
}, z.enum(WEEKDAYS));
const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.optional(z.string()));
const arn = (service: string) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.optional(z.string().check(z.regex(new RegExp(`^arn:aws[a-z-]*:${service}:`), `must be an ${service} ARN`))));

/** Every setting, its default and its bounds; in Lambda each one is the environment variable of the same name in upper snake case. */
export const configSchema = z.object({
  maxRotationDays: z._default(positiveInt(3650), 90),
  minRecoveryWindowDays: z._default(positiveInt(30), 30),
  unusedDays: z._default(positiveInt(3650), 90),
  trustedAccounts: z._default(commaList, []),
  /** Regions secrets may be replicated to; empty: secret-replicated-to-unapproved-region is off. */
  approvedRegions: z._default(regionList, []),
  /** IAM roles, users, groups and policies (ARN patterns) whose identity-policy changes give no finding: break-glass and deployment roles. */
  identityExemptPrincipals: z._default(iamArnPatternList, []),
  /** Central mode: the member accounts whose scan role (secretwatch-<stage>-scan-<region>) the scan assumes. */
  scanAccounts: z._default(commaList, []),
  /** Central mode: every ACTIVE account of the organization (Organizations ListAccounts) instead of a list. */
  scanOrganization: z._default(booleanText, false),
  /** Central mode: the regions scanned in every member account (and the central account's others); default: the function's own. */
  scanRegions: z._default(regionList, []),
  trustedOrgId: z.preprocess((value) => (value === '' ? undefined : value), z.optional(z.string().check(z.regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id like o-a1b2c3d4e5')))),
  requireCustomerManagedKey: z._default(booleanText, false),
  /** policyMonitor removes the statements that make a secret public (off: it only reports them). */
  remediatePublicPolicy: z._default(booleanText, false),
  /** policyMonitor asks IAM Access Analyzer (CheckNoPublicAccess) for a second opinion on each new policy. */
  confirmWithAccessAnalyzer: z._default(booleanText, false),
  notifyMinSeverity: z._default(severity, 'LOW'),
  metricNamespace: z._default(z.string().check(z.minLength(1), z.maxLength(255), z.regex(/^[^:]/, 'must not start with a colon')), 'SecretWatch'),
  alertTopicArn: arn('sns'),
  findingsBusName: optionalText,
  /** The DynamoDB table that records what each channel already took (exactly once per channel); absent: no record (the CLI). */
  deliveryTableName: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{3,255}$/, 'must be a DynamoDB table name (3-255 letters, digits, _ . -)'))),
  ),
  scanIntervalHours: z._default(positiveInt(24 * 7), 24),
  /**
   * The scan's calls a second in each account and region, below Secrets Manager's quotas (ListSecrets
   * 100/s, ListSecretVersionIds 50/s) so that the account's own applications keep headroom.
   */
  scanListSecretsPerSecond: z._default(positiveInt(100), 80),
  scanLookupsPerSecond: z._default(positiveInt(50), 40),
  fullDigestWeekday: z._default(weekday, 'MONDAY'),
  slackWebhookSecretArn: arn('secretsmanager'),
  /** Lowest severity the Slack notifier posts (its subscription's filter policy, and checked again in code). */
  slackMinSeverity: z._default(severity, 'MEDIUM'),
  /** Every finding is also imported into Security Hub, and findings whose state was fixed are closed there. */
  securityHub: z._default(booleanText, false),
  /** The account's default Security Hub product that imports the findings (set by the stack). */
  securityHubProductArn: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.optional(
      z
        .string()
        .check(
          z.regex(
            /^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/,
            'must be a default Security Hub product ARN (arn:<partition>:securityhub:<region>:<account>:product/<account>/default)',
          ),
        ),
    ),
  ),
  /** With securityHub: each finding that closes is also posted to Slack (through the alert topic, never to the emails). */
  slackResolved: z._default(booleanText, false),
  /** Lowest severity the email subscriptions receive (their filter policy; deploy time only). */
  emailMinSeverity: z._default(severity, 'HIGH'),
});

export type Config = z.infer<typeof configSchema>;

/** Settings that only make sense apart: [path of the offending key, message] or null. */
function conflict(config: Config): [string, string] | null {
  if (config.scanOrganization && config.scanAccounts.length) {
    return ['scanOrganization', 'cannot be combined with scanAccounts: the organization already lists every account (choose one)'];
  }
  return null;
}
export type ConfigKey = keyof Config;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as ConfigKey[];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`invalid setting ${setting}: ${message}`);
  }
}

/** maxRotationDays -> MAX_ROTATION_DAYS */
export function envName(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function build(input: Record<string, unknown>, nameOf: (key: string) => string): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue.path[0] ?? 'config');
    throw new ConfigError(nameOf(key), issue.message);
  }
  const clash = conflict(result.data);
  if (clash) throw new ConfigError(nameOf(clash[0]), clash[1]);
  return result.data;
}

/** Lambda: each setting is the environment variable of the same name in upper snake case. */
export function configFromEnv(env: Record<string, string | undefined>): Config {
  const input: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[envName(key)];
    if (value !== undefined) input[key] = value;
  }
  return build(input, envName);
}

/** CLI: a config file's object, then flags over it. Unknown keys in the file are an error, not ignored. */
export function configFromObject(input: Record<string, unknown>, source = 'config'): Config {
  for (const key of Object.keys(input)) {
    if (!(CONFIG_KEYS as string[]).includes(key)) throw new ConfigError(`${source}.${key}`, `unknown setting (known: ${CONFIG_KEYS.join(', ')})`);
  }
  return build(input, (key) => `${source}.${key}`);
}

export const DEFAULT_CONFIG: Config = configSchema.parse({});
export type { Severity };
