import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/config';
import type { OutputFormat } from '../findings/render';
import type { Severity } from '../findings/severity';
import { loadCliConfig } from './config';
import { EXIT, type CliIO } from './io';
import type { MemberAccounts } from '../runtime/centralScan';
import { accountsOption, asOfOption, collect, endpointOption, formatOption, jobsOption, regionsOption, roleNameOption, severityOption, stageOption, timeOption } from './options';
import { VERSION } from './version';

const FORMAT_HELP = 'table | json | markdown | asff (a Security Hub BatchImportFindings array) | ocsf (OCSF 1.1 events, one a line); default: table on a terminal, else json';

interface ScanFlags {
  accounts?: MemberAccounts;
  regions?: string[];
  stage?: string;
  roleName?: string;
  region?: string;
  profile?: string;
  endpoint?: string;
  format?: OutputFormat;
  minSeverity?: Severity;
  failOn?: Severity;
  asOf?: Date;
  publish?: boolean;
  config?: string;
  set: string[];
  progress: boolean;
  quiet?: boolean;
}

interface ReplayFlags {
  format?: OutputFormat;
  minSeverity?: Severity;
  failOn?: Severity;
  since?: Date;
  until?: Date;
  config?: string;
  set: string[];
  progress: boolean;
  quiet?: boolean;
  jobs?: number;
}

/**
 * The `secretwatch` command. Returns the exit code; never calls process.exit itself. Each command's
 * code is loaded when it runs: a replay never loads the AWS clients a scan needs, and --help none.
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('secretwatch')
    .description('Compliance monitor for AWS Secrets Manager: replay CloudTrail offline, scan an inventory, test event patterns.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run secretwatch --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok; 1 a finding at or above --fail-on; 2 usage, configuration or pattern error; 3 some input could not be read (reported on stderr); 4 scan --publish could not deliver.',
    );

  program
    .command('replay')
    .description('Run CloudTrail data through the rules and checks, as EventBridge and the monitors would.')
    .argument('<paths...>', 'files or directories: {"Records":[...]} files (.json or .json.gz), single records, EventBridge events, JSON Lines')
    .addOption(new Option('--format <format>', FORMAT_HELP).argParser(formatOption))
    .addOption(new Option('--min-severity <severity>', 'drop findings below this severity').argParser(severityOption))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').argParser(severityOption))
    .addOption(new Option('--since <time>', 'only records at or after this time (ISO 8601, or 36h / 7d ago)').argParser(timeOption(() => new Date())))
    .addOption(new Option('--until <time>', 'only records at or before this time').argParser(timeOption(() => new Date())))
    .option('--config <file>', 'settings file (default: ./secretwatch.config.json if present)')
    .option('--set <key=value>', 'override one setting, e.g. --set minRecoveryWindowDays=7 (repeatable)', collect, [])
    .addOption(new Option('--jobs <n>', 'files replayed at once, each on its own thread (default: the number of cores)').argParser(jobsOption))
    .option('--no-progress', 'no progress bar on stderr')
    .option('-q, --quiet', 'no summary line on stderr')
    .action(async (paths: string[], flags: ReplayFlags) => {
      const config = loadCliConfig(io.cwd, flags.config, flags.set);
      const { runReplay } = await import('./replay/command');
      exitCode = await runReplay(
        paths,
        {
          config,
          format: flags.format ?? (io.stdout.isTTY ? 'table' : 'json'),
          minSeverity: flags.minSeverity,
          failOn: flags.failOn,
          since: flags.since,
          until: flags.until,
          progress: flags.progress && Boolean(io.stderr.isTTY),
          quiet: Boolean(flags.quiet),
          jobs: flags.jobs ?? availableParallelism(),
        },
        io,
      );
    });

  program
    .command('scan')
    .description('Check the whole inventory of a region now: rotation overdue, not enabled or missed, unused secrets, the default KMS key.')
    .option('--region <region>', 'the region to scan (default: from the environment or profile)')
    .option('--profile <name>', 'the AWS profile whose credentials to use')
    .addOption(new Option('--endpoint <url>', 'send every AWS call here instead (e.g. moto_server: http://127.0.0.1:5000)').argParser(endpointOption))
    .addOption(new Option('--format <format>', FORMAT_HELP).argParser(formatOption))
    .addOption(new Option('--min-severity <severity>', 'drop findings below this severity').argParser(severityOption))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').argParser(severityOption))
    .addOption(
      new Option('--as-of <date>', 'judge the inventory as of this date (ISO 8601, or +30d / -7d from now), assuming scheduled rotations happen on time').argParser(asOfOption(() => new Date())),
    )
    .addOption(
      new Option(
        '--accounts <ids|organization>',
        "also scan these member accounts (comma-separated ids), or every active account of the organization, through each one's scan role (overrides scanAccounts and scanOrganization)",
      ).argParser(accountsOption),
    )
    .addOption(
      new Option('--regions <regions>', 'with --accounts: scan each member account in these regions (comma-separated), and this account in the others; overrides scanRegions').argParser(regionsOption),
    )
    .addOption(new Option('--stage <stage>', "the member stacks' stage: their scan role is secretwatch-<stage>-scan-<region>").default('dev').argParser(stageOption))
    .addOption(new Option('--role-name <name>', 'the member scan role to assume instead of secretwatch-<stage>-scan-{region} ({region}: the region scanned)').argParser(roleNameOption))
    .option('--publish', 'also send the gauges, a full digest and the findings, as the inventoryScan function does (alertTopicArn, findingsBusName from the settings)')
    .option('--config <file>', 'settings file (default: ./secretwatch.config.json if present)')
    .option('--set <key=value>', 'override one setting, e.g. --set maxRotationDays=30 (repeatable)', collect, [])
    .option('--no-progress', 'no progress bar on stderr')
    .option('-q, --quiet', 'no summary line on stderr')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok; 1 a finding at or above --fail-on; 2 usage or configuration error; 3 the inventory could not be read, a member account could not be scanned, or some version look-ups failed; 4 --publish could not deliver.',
    )
    .action(async (flags: ScanFlags) => {
      const settings = loadCliConfig(io.cwd, flags.config, flags.set);
      const withAccounts = flags.accounts
        ? { ...settings, scanAccounts: 'accounts' in flags.accounts ? [...flags.accounts.accounts] : [], scanOrganization: 'organization' in flags.accounts }
        : settings;
      const config = flags.regions ? { ...withAccounts, scanRegions: flags.regions } : withAccounts;
      const { runScanCommand } = await import('./scan/command');
      exitCode = await runScanCommand(
        {
          config,
          format: flags.format ?? (io.stdout.isTTY ? 'table' : 'json'),
          minSeverity: flags.minSeverity,
          failOn: flags.failOn,
          asOf: flags.asOf,
          region: flags.region,
          profile: flags.profile,
          endpoint: flags.endpoint,
          publish: Boolean(flags.publish),
          progress: flags.progress && Boolean(io.stderr.isTTY),
          quiet: Boolean(flags.quiet),
          stage: flags.stage,
          roleName: flags.roleName,
        },
        io,
      );
    });

  program
    .command('access')
    .description('Who can read a secret: identity policies (through groups, boundaries and Denies), its resource policy, role trust policies and its KMS key policy.')
    .argument('<secret>', "the secret's name or ARN")
    .option('--region <region>', "the secret's region (default: from the environment or profile)")
    .option('--profile <name>', 'the AWS profile whose credentials to use')
    .addOption(new Option('--endpoint <url>', 'send every AWS call here instead (e.g. moto_server: http://127.0.0.1:5000)').argParser(endpointOption))
    .addOption(new Option('--format <format>', 'table | json | markdown (default: table on a terminal, else json)').argParser(formatOption))
    .addHelpText(
      'after',
      "\nReads DescribeSecret, GetResourcePolicy, iam:GetAccountAuthorizationDetails and, for a customer managed key, kms:DescribeKey and kms:GetKeyPolicy.\nExit codes: 0 answered; 2 usage error; 3 the secret or the account's IAM could not be read.",
    )
    .action(async (secret: string, flags: { region?: string; profile?: string; endpoint?: string; format?: OutputFormat }) => {
      const { runAccessCommand } = await import('./access/command');
      exitCode = await runAccessCommand(secret, { format: flags.format ?? (io.stdout.isTTY ? 'table' : 'json'), region: flags.region, profile: flags.profile, endpoint: flags.endpoint }, io);
    });

  program
    .command('test-pattern')
    .description('Offline `aws events test-event-pattern`: prints true or false per event, one a line.')
    .argument('<pattern>', 'a JSON file holding an EventBridge event pattern')
    .argument('<events...>', 'files holding one JSON event each, or JSON Lines')
    .action(async (pattern: string, events: string[]) => {
      const { runTestPattern } = await import('./testPattern');
      exitCode = await runTestPattern(pattern, events, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`secretwatch: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  return exitCode;
}
