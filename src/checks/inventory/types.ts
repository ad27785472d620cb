import type { Config } from '../../config/config';
import type { Finding } from '../../findings/finding';
import type { CurrentVersion, InventorySecret } from '../../inventory/types';
import type { CheckMetadata } from '../types';
import type { SecretPolicy } from './policy';

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
  policy: SecretPolicy;
  /** The AWSCURRENT version, when it was looked up (only for secrets that looked overdue). */
  currentVersion?: CurrentVersion;
  /** The rotations assumed to happen on schedule before --as-of, when the scan projects. */
  projected: boolean;
}

/** A detection over one secret of the inventory. Pure: no I/O, no clock but ctx.now. */
export interface InventoryCheck extends CheckMetadata {
  evaluate(view: SecretView, ctx: InventoryContext): Finding | null;
}
