import type { Config } from '../../config/config';
import { InvalidEventError } from '../../events/errors';
import { InputFileError, listInputFiles, openInput } from '../../events/files';
import { parseEventText } from '../../events/parse';
import { RecordSplitter, type SplitItem } from '../../events/splitter';
import type { Finding } from '../../findings/finding';
import { atLeast, type Severity } from '../../findings/severity';
import { allChecks } from '../../checks';
import { monitors } from '../../monitors';
import { awsManagedPolicyLookup } from '../../resources/awsManagedPolicies';
import type { PolicyDocumentLookup } from '../../resources/policyDocuments';
import { EventRouter } from '../../monitors/router';
import { FindingWindow } from './dedup';

export interface ReplayOptions {
  config: Config;
  since?: Date;
  until?: Date;
  minSeverity?: Severity;
  /** The clock the checks see; a replay of old records judges them as of now. */
  now?: Date;
  /** How many distinct findings de-duplication remembers (FindingWindow); the default suits any archive. */
  dedupWindow?: number;
  /** Managed policies named by ARN; default: the AWS managed policies shipped with SecretWatch. */
  policies?: PolicyDocumentLookup;
}

/** What one file gave; summed over the files into ReplayStats. */
export interface FileStats {
  /** Uncompressed bytes scanned. */
  bytes: number;
  /** Records passed over unparsed: they do not mention Secrets Manager. */
  skipped: number;
  parsed: number;
  invalid: number;
  /** Records that a rule would have delivered to a monitor. */
  matched: number;
  outsideWindow: number;
  /** Findings before de-duplication. */
  findings: number;
  /** Records that parsed but made a check fail: counted in parsed too, and reported like invalid ones. */
  checkFailures: number;
  warnings: number;
  /** The file could not be read to its end (what came before was still checked). */
  failed: boolean;
}

export interface ReplayStats {
  files: number;
  filesFailed: number;
  bytes: number;
  /** Every record seen, Secrets Manager's or not. */
  records: number;
  skipped: number;
  parsed: number;
  invalid: number;
  matched: number;
  outsideWindow: number;
  duplicates: number;
  findings: number;
  checkFailures: number;
  warnings: number;
}

/** A record that gave no verdict: where it is (file, line, byte) and why. */
export interface InvalidRecord {
  file: string;
  line: number;
  offset: number;
  reason: string;
  message: string;
  eventId: string | null;
}

/** What reading one file gives, in file order: a worker hands these on as they come. */
export type FileItem =
  | { kind: 'finding'; finding: Finding }
  | { kind: 'invalid'; record: InvalidRecord }
  | { kind: 'warning'; file: string; message: string }
  /** A record names a policy whose document cannot be had offline: its identity-policy change gives no finding. */
  | { kind: 'policyUnavailable'; file: string; policyArn: string; reason: string; eventId: string | null }
  /** `partly`: the file was read in part, and the records before the error were checked. */
  | { kind: 'failed'; error: InputFileError; partly: boolean };

export interface ReplayListener {
  finding(finding: Finding): void;
  invalidRecord?(record: InvalidRecord): void;
  warning?(file: string, message: string): void;
  fileFailed?(error: InputFileError, partly: boolean): void;
  fileStarted?(file: string, size: number): void;
  progress?(compressedBytesRead: number): void;
  /** A record names a policy whose document cannot be had offline: its identity-policy change gives no finding. */
  policyUnavailable?(file: string, policyArn: string, reason: string, eventId: string | null): void;
}

/** The event names of the checks on services other than Secrets Manager (IAM's). */
const OTHER_EVENT_NAMES = [...new Set(allChecks.flatMap((c) => c.events.filter((e) => e.source !== 'aws.secretsmanager').flatMap((e) => e.eventNames)))];

/** The longest string every name holds ("Policy" for IAM's), or "" when they share fewer than 4 characters. */
function commonPart(names: readonly string[]): string {
  if (names.length === 0) return '';
  const shortest = names.reduce((a, b) => (a.length <= b.length ? a : b));
  for (let length = shortest.length; length >= 4; length--) {
    for (let start = 0; start + length <= shortest.length; start++) {
      const part = shortest.slice(start, start + length);
      if (names.every((n) => n.includes(part))) return part;
    }
  }
  return '';
}

/**
 * What a record must hold to be parsed: "secretsmanager" (records and envelopes of Secrets
 * Manager), or one of the other services' watched call names. The splitter searches each chunk
 * once per needle, so those names are searched as the one part they share, and a record holding
 * it is then checked for a whole name: an organisation trail's IAM reads (GetRole,
 * GetPolicyVersion) are passed over unparsed.
 */
const SHARED_PART = commonPart(OTHER_EVENT_NAMES);
const NEEDLES = ['secretsmanager', ...(SHARED_PART ? [SHARED_PART] : OTHER_EVENT_NAMES)].map((text) => Buffer.from(text));

function worthParsing(text: string): boolean {
  return text.includes('secretsmanager') || OTHER_EVENT_NAMES.some((name) => text.includes(name));
}

/** The part of ReplayOptions that judging one file needs; what a worker thread is given. */
export interface FileReplayOptions {
  config: Config;
  since?: Date;
  until?: Date;
  minSeverity?: Severity;
  now: Date;
  /** Managed policies named by ARN; default: the AWS managed policies shipped with SecretWatch. */
  policies?: PolicyDocumentLookup;
}

export interface FileReplayHooks {
  started?(size: number): void;
  /** Compressed bytes of this file read so far. */
  progress?(bytesRead: number): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function emptyFileStats(): FileStats {
  return { bytes: 0, skipped: 0, parsed: 0, invalid: 0, matched: 0, outsideWindow: 0, findings: 0, checkFailures: 0, warnings: 0, failed: false };
}

/** Building the router compiles every rule's pattern: done once per process, for every file it reads. */
let sharedRouter: EventRouter | undefined;

/**
 * Reads one file and judges each of its records on its own: a record that does not parse, or that
 * makes a check fail, is an invalid item (file, line, reason) and the records after it are still
 * checked; a read error ends the file with a failed item, after the items of what was read. Items
 * come in file order, so any split of the files over workers gives the same output.
 */
export async function replayFile(file: string, options: FileReplayOptions, emit: (item: FileItem) => void, hooks: FileReplayHooks = {}): Promise<FileStats> {
  const stats = emptyFileStats();
  sharedRouter ??= new EventRouter(monitors);
  const router = sharedRouter;
  const shipped = options.policies ?? awsManagedPolicyLookup();
  // The record being judged, so that a policy the checks cannot have is reported once, with it.
  let judging: { eventId: string | null; reported: boolean } | null = null;
  const policies: PolicyDocumentLookup = {
    policy(arn, versionId, need) {
      const result = shipped.policy(arn, versionId, need);
      if (result.status === 'unavailable' && need === 'document' && judging && !judging.reported) {
        judging.reported = true;
        emit({ kind: 'policyUnavailable', file, policyArn: arn, reason: result.reason, eventId: judging.eventId });
      }
      return result;
    },
  };
  const ctx = { config: options.config, now: options.now, policies };
  const sinceMs = options.since?.getTime() ?? -Infinity;
  const untilMs = options.until?.getTime() ?? Infinity;
  const invalid = (item: { line: number; offset: number }, reason: string, message: string, eventId: string | null) => {
    if (reason === 'check-failed') stats.checkFailures++;
    else stats.invalid++;
    emit({ kind: 'invalid', record: { file, line: item.line, offset: item.offset, reason, message, eventId } });
  };

  const handleItem = (item: SplitItem) => {
    if (item.kind === 'invalid') {
      invalid(item, item.reason, item.message, null);
      return;
    }
    if (!worthParsing(item.text)) {
      stats.skipped++;
      return;
    }
    let event;
    try {
      event = parseEventText(item.text);
    } catch (error) {
      if (error instanceof InvalidEventError) invalid(item, error.reason, error.message, error.eventId);
      else invalid(item, 'parse-failed', `the record could not be read (${describe(error)})`, null);
      return;
    }
    stats.parsed++;
    const time = Date.parse(event.record.eventTime);
    if (time < sinceMs || time > untilMs) {
      stats.outsideWindow++;
      return;
    }
    judging = { eventId: event.record.eventId, reported: false };
    let routed;
    try {
      routed = router.evaluate(event, ctx);
    } catch (error) {
      // Routing itself failed (a rule pattern on a record no rule expected): this record only.
      invalid(item, 'check-failed', `the record could not be routed to its checks (${describe(error)})`, event.record.eventId);
      return;
    } finally {
      judging = null;
    }
    const { matched, findings, failures } = routed;
    if (matched.length) stats.matched++;
    for (const failure of failures) {
      invalid(item, 'check-failed', `check ${failure.check} could not judge the record (${describe(failure.error)}); the other checks did`, event.record.eventId);
    }
    for (const finding of findings) {
      if (options.minSeverity && !atLeast(finding.severity, options.minSeverity)) continue;
      stats.findings++;
      emit({ kind: 'finding', finding });
    }
  };

  const splitter = new RecordSplitter(NEEDLES);
  const items: SplitItem[] = [];
  let opened;
  try {
    opened = await openInput(file, {
      warn: (message) => {
        stats.warnings++;
        emit({ kind: 'warning', file, message });
      },
      progress: (bytesRead) => hooks.progress?.(bytesRead),
      // Inflated where the splitter scans it, instead of in fresh memory copied there.
      area: () => splitter.inputArea(),
    });
    hooks.started?.(opened.size);
    await opened.read((chunk) => {
      splitter.push(chunk, items);
      for (const item of items) handleItem(item);
      items.length = 0;
    });
    splitter.end(items);
    for (const item of items) handleItem(item);
  } catch (error) {
    // Every record split before the error was judged as its chunk came: only the rest is lost.
    stats.failed = true;
    const fileError =
      error instanceof InputFileError ? error : new InputFileError(file, (error as NodeJS.ErrnoException).code?.startsWith('Z_') ? 'corrupt-gzip' : 'unreadable', (error as Error).message);
    emit({ kind: 'failed', error: fileError, partly: opened !== undefined });
  } finally {
    stats.bytes = splitter.bytes;
    // Records the splitter passed over, and those it handed on that name none of the watched calls.
    stats.skipped += splitter.skipped;
  }
  return stats;
}

export function emptyStats(): ReplayStats {
  return { files: 0, filesFailed: 0, bytes: 0, records: 0, skipped: 0, parsed: 0, invalid: 0, matched: 0, outsideWindow: 0, duplicates: 0, findings: 0, checkFailures: 0, warnings: 0 };
}

/**
 * Streams CloudTrail data through the rules and checks. Memory stays flat: a file is read chunk by
 * chunk, only records that mention Secrets Manager are parsed, findings go to the listener as
 * they are found, and de-duplication remembers a bounded window of them. A file that cannot be
 * read is reported and the replay goes on with the next.
 */
/**
 * Hands one file's items to the listener as one replay does: findings de-duplicated through the
 * window, every problem counted. The parallel replay passes each file's items through the same
 * function, in file order, so that its output is this one's whatever the number of jobs.
 */
export function itemDeliverer(stats: ReplayStats, listener: ReplayListener, window: FindingWindow): (item: FileItem) => void {
  return (item) => {
    switch (item.kind) {
      case 'finding':
        if (window.seenBefore(item.finding)) {
          stats.duplicates++;
          return;
        }
        stats.findings++;
        listener.finding(item.finding);
        return;
      case 'invalid':
        listener.invalidRecord?.(item.record);
        return;
      case 'warning':
        listener.warning?.(item.file, item.message);
        return;
      case 'policyUnavailable':
        listener.policyUnavailable?.(item.file, item.policyArn, item.reason, item.eventId);
        return;
      case 'failed':
        stats.filesFailed++;
        listener.fileFailed?.(item.error, item.partly);
        return;
    }
  };
}

export async function replay(paths: readonly string[], options: ReplayOptions, listener: ReplayListener): Promise<ReplayStats> {
  const stats = emptyStats();
  const fileOptions: FileReplayOptions = {
    config: options.config,
    since: options.since,
    until: options.until,
    minSeverity: options.minSeverity,
    now: options.now ?? new Date(),
    policies: options.policies,
  };
  const window = new FindingWindow(options.dedupWindow);
  let compressedBefore = 0;

  const deliver = itemDeliverer(stats, listener, window);

  for await (const entry of listInputFiles(paths)) {
    if (entry instanceof InputFileError) {
      stats.filesFailed++;
      listener.fileFailed?.(entry, false);
      continue;
    }
    stats.files++;
    let size = 0;
    const file = await replayFile(entry, fileOptions, deliver, {
      started(bytes) {
        size = bytes;
        listener.fileStarted?.(entry, bytes);
      },
      progress(read) {
        listener.progress?.(compressedBefore + read);
      },
    });
    compressedBefore += size;
    addFileStats(stats, file);
  }
  stats.records = stats.skipped + stats.parsed + stats.invalid;
  return stats;
}

/** Adds one file's counts to the replay's (findings are counted as delivered, after de-duplication). */
export function addFileStats(stats: ReplayStats, file: FileStats): void {
  stats.bytes += file.bytes;
  stats.skipped += file.skipped;
  stats.parsed += file.parsed;
  stats.invalid += file.invalid;
  stats.matched += file.matched;
  stats.outsideWindow += file.outsideWindow;
  stats.checkFailures += file.checkFailures;
  stats.warnings += file.warnings;
}
