import { AsffMappingError, toAsff } from '../findings/asff';
import type { Finding } from '../findings/finding';
import { ocsfJsonLine, toOcsf } from '../findings/ocsf';
import type { CliIO } from './io';
import { VERSION } from './version';

/**
 * `--format asff` and `--format ocsf`, streamed: the ASFF array is written element by element so
 * that replaying an archive of any size keeps memory flat. A finding ASFF cannot express (no account
 * or region anywhere in it) is reported on stderr and counted; the rest still go out.
 */
export class InterchangeWriter {
  private written = 0;
  /** Findings left out, each reported on stderr. */
  skipped = 0;

  constructor(
    private readonly format: 'asff' | 'ocsf',
    private readonly io: CliIO,
    private readonly now: Date,
  ) {}

  write(finding: Finding): void {
    if (this.format === 'ocsf') {
      this.io.stdout.write(ocsfJsonLine(toOcsf(finding, { now: this.now, productVersion: VERSION })));
      this.written++;
      return;
    }
    let mapped;
    try {
      mapped = toAsff(finding, { now: this.now });
    } catch (error) {
      if (!(error instanceof AsffMappingError)) throw error;
      this.skipped++;
      this.io.stderr.write(`secretwatch: finding ${finding.event?.id ? `of event ${finding.event.id} ` : ''}left out of the ASFF output: ${error.message}\n`);
      return;
    }
    this.io.stdout.write(`${this.written === 0 ? '[\n' : ',\n'}${JSON.stringify(mapped)}`);
    this.written++;
  }

  /** Closes the ASFF array (an empty one when nothing was written). */
  end(): void {
    if (this.format === 'asff') this.io.stdout.write(this.written === 0 ? '[]\n' : '\n]\n');
  }
}

export function isInterchangeFormat(format: string): format is 'asff' | 'ocsf' {
  return format === 'asff' || format === 'ocsf';
}
