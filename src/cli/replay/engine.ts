import { errorField } from '../../delivery/log';
import type { Config } from '../../config/config';
import { InvalidEventError } from '../../events/errors';
import { InputFileError, listInputFiles, openInput } from '../../events/files';
import { parseEventText } from '../../events/parse';
import { RecordSplitter, type SplitItem } from '../../events/splitter';
import type { Finding } from '../../findings/finding';
import { atLeast, type Severity } from '../../findings/severity';
import { monitors } from '../../monitors';
import { EventRouter } from '../../monitors/router';

export interface ReplayOptions {
  config: Config;
  since?: Date;
  until?: Date;
  minSeverity?: Severity;
  /** The clock the checks see; a replay of old records judges them as of now. */
  now?: Date;
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
  const ctx = { config: options.config, now: options.now ?? new Date() };
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
    const { matched, findings, failures } = router.evaluate(event, ctx);
    if (matched.length) stats.matched++;
    // A check that cannot handle the record is reported as the record's problem; its other checks' findings still count.
    if (failures.length) stats.invalid++;
    for (const failure of failures) {
      listener.invalidRecord?.(file, 'check-failed', `${failure.check}: ${errorField(failure.error).message}`, item.offset, event.record.eventId);
    }
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
    const splitter = new RecordSplitter();
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
