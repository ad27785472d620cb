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

export interface ReplayOptions {
  config: Config;
  since?: Date;
  until?: Date;
  minSeverity?: Severity;
  /** The clock the checks see; a replay of old records judges them as of now. */
  now?: Date;
  /** Managed policies named by ARN; default: the AWS managed policies shipped with SecretWatch. */
  policies?: PolicyDocumentLookup;
}

export interface ReplayStats {
  files: number;
  filesFailed: number;
  /** Uncompressed bytes scanned. */
  bytes: number;
  /** Every record seen, Secrets Manager's or not. */
  records: number;
  /** Records passed over unparsed: they do not mention Secrets Manager. */
  skipped: number;
  parsed: number;
  invalid: number;
  /** Records that a rule would have delivered to a monitor. */
  matched: number;
  outsideWindow: number;
  duplicates: number;
  findings: number;
}

export interface ReplayListener {
  finding(finding: Finding): void;
  invalidRecord?(file: string, reason: string, message: string, offset: number, eventId: string | null): void;
  fileFailed?(error: InputFileError): void;
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

function emptyStats(): ReplayStats {
  return { files: 0, filesFailed: 0, bytes: 0, records: 0, skipped: 0, parsed: 0, invalid: 0, matched: 0, outsideWindow: 0, duplicates: 0, findings: 0 };
}

/**
 * Streams CloudTrail data through the rules and checks. Memory stays flat: a file is read chunk by
 * chunk and only records that mention Secrets Manager are parsed; findings go to the listener as
 * they are found. A file that cannot be read is reported and the replay goes on with the next.
 */
export async function replay(paths: readonly string[], options: ReplayOptions, listener: ReplayListener): Promise<ReplayStats> {
  const stats = emptyStats();
  const router = new EventRouter(monitors);
  const shipped = options.policies ?? awsManagedPolicyLookup();
  // The record being judged, so that a policy the checks cannot have is reported once, with it.
  let judging: { file: string; eventId: string | null; reported: boolean } | null = null;
  const policies: PolicyDocumentLookup = {
    policy(arn, versionId, need) {
      const result = shipped.policy(arn, versionId, need);
      if (result.status === 'unavailable' && need === 'document' && judging && !judging.reported) {
        judging.reported = true;
        listener.policyUnavailable?.(judging.file, arn, result.reason, judging.eventId);
      }
      return result;
    },
  };
  const ctx = { config: options.config, now: options.now ?? new Date(), policies };
  const sinceMs = options.since?.getTime() ?? -Infinity;
  const untilMs = options.until?.getTime() ?? Infinity;
  // At-least-once delivery also reaches archives (CloudTrail can write a record twice): one finding per event and check.
  const seen = new Set<string>();
  let compressedBefore = 0;

  const handleItem = (file: string, item: SplitItem) => {
    if (item.kind === 'invalid') {
      stats.invalid++;
      listener.invalidRecord?.(file, item.reason, item.message, item.offset, null);
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
      if (!(error instanceof InvalidEventError)) throw error;
      stats.invalid++;
      listener.invalidRecord?.(file, error.reason, error.message, item.offset, error.eventId);
      return;
    }
    stats.parsed++;
    const time = Date.parse(event.record.eventTime);
    if (time < sinceMs || time > untilMs) {
      stats.outsideWindow++;
      return;
    }
    judging = { file, eventId: event.record.eventId, reported: false };
    const { matched, findings } = router.evaluate(event, ctx);
    judging = null;
    if (matched.length) stats.matched++;
    for (const finding of findings) {
      if (options.minSeverity && !atLeast(finding.severity, options.minSeverity)) continue;
      if (finding.event?.id) {
        const key = `${finding.event.id}\u0000${finding.check}\u0000${finding.account ?? ''}\u0000${finding.region ?? ''}`;
        if (seen.has(key)) {
          stats.duplicates++;
          continue;
        }
        seen.add(key);
      }
      stats.findings++;
      listener.finding(finding);
    }
  };

  for await (const entry of listInputFiles(paths)) {
    if (entry instanceof InputFileError) {
      stats.filesFailed++;
      listener.fileFailed?.(entry);
      continue;
    }
    stats.files++;
    const splitter = new RecordSplitter(NEEDLES);
    const items: SplitItem[] = [];
    let opened;
    try {
      opened = await openInput(entry);
      listener.fileStarted?.(entry, opened.size);
      for await (const chunk of opened.stream) {
        splitter.push(chunk as Buffer, items);
        for (const item of items) handleItem(entry, item);
        items.length = 0;
        listener.progress?.(compressedBefore + opened.bytesRead());
      }
      splitter.end(items);
      for (const item of items) handleItem(entry, item);
    } catch (error) {
      stats.filesFailed++;
      const fileError =
        error instanceof InputFileError ? error : new InputFileError(entry, (error as NodeJS.ErrnoException).code?.startsWith('Z_') ? 'corrupt-gzip' : 'unreadable', (error as Error).message);
      listener.fileFailed?.(fileError);
    } finally {
      compressedBefore += opened?.size ?? 0;
      stats.bytes += splitter.bytes;
      stats.skipped += splitter.skipped;
    }
  }
  stats.records = stats.skipped + stats.parsed + stats.invalid;
  return stats;
}
