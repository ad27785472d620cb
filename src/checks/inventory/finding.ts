import { secretResource, type Finding } from '../../findings/finding';
import type { Severity } from '../../findings/severity';
import type { InventorySecret } from '../../resources/secret';
import { aboutCheck, regionArg, shellQuote } from '../finding';
import type { CheckMetadata } from '../check';
import type { SecretView } from './types';

export interface ScanFindingParts {
  severity: Severity;
  title: string;
  /** The moment the secret crossed the check's threshold: what the "new since the last scan" digest reads. */
  nonCompliantSince: string | null;
  details: Record<string, unknown>;
  remediation: string;
}

/** A scan finding: no event and no actor (nobody did anything: it is the state of the secret), the secret named by its ARN. */
export function findingFromSecret(check: CheckMetadata, view: SecretView, parts: ScanFindingParts): Finding {
  const { secret } = view;
  const ref = { arn: secret.arn, name: secret.name, id: secret.arn };
  return {
    check: check.id,
    severity: parts.severity,
    title: parts.title,
    resource: secretResource(ref),
    secret: ref,
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
    ...aboutCheck(check),
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
