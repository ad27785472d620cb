import type { Config } from '../../config/config';
import type { Finding } from '../../findings/finding';
import type { CurrentVersion, InventorySecret } from '../../resources/secret';
import type { CheckMetadata } from '../check';
import type { SecretSettings } from './tagSettings';

export interface InventoryContext {
  config: Config;
  /** The moment the inventory is judged at: the scan's clock, or --as-of. */
  now: Date;
}

/** One secret with what every scan check needs about it, worked out once. */
export interface SecretView {
  secret: InventorySecret;
  account: string | null;
  region: string | null;
  settings: SecretSettings;
  /** The AWSCURRENT version, when it was looked up (only for secrets that looked overdue). */
  currentVersion?: CurrentVersion;
  /** The rotations assumed to happen on schedule before --as-of, when the scan projects. */
  projected: boolean;
}

/** A detection over one secret of the inventory. Pure: no I/O, no clock but ctx.now. */
export interface InventoryCheck extends CheckMetadata {
  kind: 'scan';
  /** The CloudWatch gauge that counts its findings at each scan (one billed series: few checks have one). */
  gauge?: string;
  /** The figure that says how bad a finding is, for the scan's table (e.g. "120 days old, limit 90"). */
  summary?(finding: Finding): string;
  evaluate(view: SecretView, ctx: InventoryContext): Finding | null;
}
