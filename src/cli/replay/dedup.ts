import { createHash } from 'node:crypto';
import type { Finding } from '../../findings/finding';

/**
 * How many distinct findings replay remembers for de-duplication. CloudTrail writes a record twice
 * within minutes (the same delivery retried, or two trails), so a duplicate is never far from its
 * first copy; past the window a duplicate is reported again, and no finding is ever dropped for
 * lack of memory. 65,536 keys of 16 characters hold about 5 MB, whatever the archive's size.
 */
export const DEFAULT_DEDUP_WINDOW = 1 << 16;

/**
 * One finding per event, check, account and region, remembered for the last `size` distinct
 * findings (first in, first out). Each key is kept as 96 bits of its SHA-256 in base64: a
 * collision, which would drop a finding, is about as likely as (size^2 / 2^97).
 */
export class FindingWindow {
  private readonly keys = new Set<string>();
  /** The keys in the order they came; once full, `next` is the oldest, replaced by the newest. */
  private readonly order: string[] = [];
  private next = 0;

  constructor(private readonly size: number = DEFAULT_DEDUP_WINDOW) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`de-duplication window must be a positive integer, got ${size}`);
  }

  /** Remembers the finding; true when an identical one was seen within the window. Findings without an event id are never duplicates. */
  seenBefore(finding: Finding): boolean {
    const id = finding.event?.id;
    if (!id) return false;
    const key = createHash('sha256')
      .update(`${id}\u0000${finding.check}\u0000${finding.account ?? ''}\u0000${finding.region ?? ''}`)
      .digest('base64')
      .slice(0, 16);
    if (this.keys.has(key)) return true;
    if (this.order.length < this.size) {
      this.order.push(key);
    } else {
      this.keys.delete(this.order[this.next]);
      this.order[this.next] = key;
      this.next = (this.next + 1) % this.size;
    }
    this.keys.add(key);
    return false;
  }

  /** Keys held now: never more than the window. */
  get remembered(): number {
    return this.keys.size;
  }
}
