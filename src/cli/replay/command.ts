import cliProgress from 'cli-progress';
import type { Config } from '../../config/config';
import type { Finding } from '../../findings/finding';
import { findingJsonLine, findingsMarkdown, findingsTable, type OutputFormat } from '../../findings/render';
import { safeLine } from '../../findings/safeText';
import { atLeast, type Severity } from '../../findings/severity';
import { InterchangeWriter, isInterchangeFormat } from '../interchange';
import { EXIT, type CliIO } from '../io';
import type { ReplayStats } from './engine';
import { replayInParallel, replayWorkerScript } from './parallel';

export interface ReplayCommandOptions {
  config: Config;
  format: OutputFormat;
  minSeverity?: Severity;
  failOn?: Severity;
  since?: Date;
  until?: Date;
  progress: boolean;
  quiet: boolean;
  /** Files replayed at once (--jobs). */
  jobs: number;
}

/** Large enough that a bar is worth drawing. */
const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

function summary(stats: ReplayStats): string {
  return (
    `secretwatch replay: ${stats.findings} finding(s) from ${stats.records} record(s) in ${stats.files} file(s) ` +
    `(${stats.parsed} Secrets Manager or IAM record(s) parsed, ${stats.matched} matched a rule` +
    (stats.invalid ? `, ${stats.invalid} invalid` : '') +
    (stats.checkFailures ? `, ${stats.checkFailures} not fully checked` : '') +
    (stats.warnings ? `, ${stats.warnings} warning(s)` : '') +
    (stats.filesFailed ? `, ${stats.filesFailed} file(s) failed` : '') +
    (stats.duplicates ? `, ${stats.duplicates} duplicate(s) dropped` : '') +
    (stats.outsideWindow ? `, ${stats.outsideWindow} outside --since/--until` : '') +
    ')\n'
  );
}

export async function runReplay(paths: readonly string[], opts: ReplayCommandOptions, io: CliIO): Promise<number> {
  const collected: Finding[] = [];
  let failOnHit = false;
  let bar: cliProgress.SingleBar | undefined;
  let total = 0;
  const interchange = isInterchangeFormat(opts.format) ? new InterchangeWriter(opts.format, io, new Date()) : null;
  const say = (line: string) => {
    if (bar) bar.stop();
    io.stderr.write(line);
    bar = undefined;
  };

  const workerScript = replayWorkerScript();
  const stats = await replayInParallel(
    paths,
    { config: opts.config, since: opts.since, until: opts.until, minSeverity: opts.minSeverity, jobs: workerScript ? opts.jobs : 1, workerScript: workerScript ?? '' },
    {
      finding(finding) {
        if (opts.failOn && atLeast(finding.severity, opts.failOn)) failOnHit = true;
        // JSON streams as it goes; tables and markdown need every row first.
        if (opts.format === 'json') io.stdout.write(findingJsonLine(finding));
        else if (interchange) interchange.write(finding);
        else collected.push(finding);
      },
      invalidRecord(record) {
        const where = `byte ${record.offset}${record.eventId ? `, eventID ${record.eventId}` : ''}`;
        const outcome = record.reason === 'check-failed' ? 'not fully checked' : 'skipped';
        say(`secretwatch: ${safeLine(`${record.file}:${record.line}: record (${where}) ${outcome}: ${record.reason}: ${record.message}`)}\n`);
      },
      warning(file, message) {
        say(`secretwatch: ${safeLine(`${file}: warning: ${message}`)}\n`);
      },
      fileFailed(error, partly) {
        say(`secretwatch: ${safeLine(error.message)} (${partly ? 'the records before it were checked, the rest of the file skipped' : 'file skipped'})\n`);
      },
      policyUnavailable(file, policyArn, reason, eventId) {
        say(`secretwatch: ${file}:${eventId ? ` eventID ${eventId}:` : ''} identity policy ${policyArn} could not be evaluated offline (${reason}); no identity-policy finding for it\n`);
      },
      fileStarted(_file, size) {
        total += size;
        if (!opts.progress || total < PROGRESS_MIN_BYTES) return;
        if (!bar) {
          bar = new cliProgress.SingleBar(
            { stream: io.stderr as NodeJS.WriteStream, format: 'replay [{bar}] {percentage}% | {value}/{total} MB read', hideCursor: true, clearOnComplete: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(Math.ceil(total / 1e6), 0);
        } else bar.setTotal(Math.ceil(total / 1e6));
      },
      progress(read) {
        bar?.update(Math.floor(read / 1e6));
      },
    },
  );
  bar?.stop();

  if (opts.format === 'table') io.stdout.write(findingsTable(collected, io.stdout.columns ?? 160));
  else if (opts.format === 'markdown') io.stdout.write(findingsMarkdown(collected));
  interchange?.end();
  if (!opts.quiet) io.stderr.write(summary(stats));

  if (failOnHit) return EXIT.failOn;
  return stats.filesFailed || stats.invalid || stats.checkFailures || interchange?.skipped ? EXIT.badInput : EXIT.ok;
}
