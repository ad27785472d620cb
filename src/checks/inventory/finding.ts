import type { Finding } from '../../findings/finding';
import type { Severity } from '../../findings/severity';
import type { InventorySecret } from '../../inventory/types';
import { regionArg, shellQuote } from '../finding';
import type { CheckMetadata } from '../types';
import type { SecretView } from './types';

/** Region and account of a secret ARN (arn:<partition>:secretsmanager:<region>:<account>:secret:<name>). */
export function arnParts(arn: string): { region: string | null; account: string | null } {
  const [prefix, partition, service, region, account, type] = arn.split(':', 6);
  const valid = prefix === 'arn' && partition.startsWith('aws') && service === 'secretsmanager' && type === 'secret' && /^\d{12}$/.test(account ?? '');
  return valid ? { region: region || null, account } : { region: null, account: null };
}

export interface ScanFindingParts {
  severity: Severity;
  title: string;
  /** The moment the secret crossed the check's threshold: what the "new since the last scan" digest reads. */
  nonCompliantSince: string | null;
  details: Record<string, unknown>;
  remediation: string;
}

/** A scan finding: no event and no actor (DESIGN section 4), the secret named by its ARN. */
export function findingFromSecret(check: CheckMetadata, view: SecretView, parts: ScanFindingParts): Finding {
  const { secret } = view;
  return {
    check: check.id,
    severity: parts.severity,
    title: parts.title,
    secret: { arn: secret.arn, name: secret.name, id: secret.arn },
    account: view.account,
    region: view.region,
    actor: null,
    event: null,
    details: {
      nonCompliantSince: parts.nonCompliantSince,
      ...parts.details,
      ...(view.projected ? { projected: 'rotations scheduled before --as-of are assumed to have happened' } : {}),
    },
    remediation: parts.remediation,
  };
}

const argsOf = new WeakMap<SecretView, string>();

/** `--secret-id ARN --region R`, quoted (names come from whoever created the secret); once per secret. */
export function secretArgs(view: SecretView): string {
  let args = argsOf.get(view);
  if (args === undefined) {
    args = `--secret-id ${shellQuote(view.secret.arn)}${regionArg(view.region)}`;
    argsOf.set(view, args);
  }
  return args;
}

export function isDefaultKey(secret: InventorySecret): boolean {
  return secret.kmsKeyId === null || secret.kmsKeyId === 'alias/aws/secretsmanager';
}

/** A replica is rotated through its primary: rotation is judged in the primary's region only. */
export function isReplica(view: SecretView): boolean {
  return view.secret.primaryRegion !== null && view.region !== null && view.secret.primaryRegion !== view.region;
}
