import type { ResourceRef } from '../resources/resource';
import type { SecretRef } from '../resources/secret';
import type { Severity } from './severity';

/** One finding: one JSON object, in this key order. */
export interface Finding {
  check: string;
  severity: Severity;
  title: string;
  /** What the finding is about. */
  resource: ResourceRef;
  /** On every finding about a secret, the same as `resource` less its type: earlier consumers read it. */
  secret?: SecretRef;
  account: string | null;
  region: string | null;
  actor: { arn: string | null; type: string | null; sourceIp: string | null; userAgent: string | null } | null;
  /** null for scan findings. */
  event: { id: string | null; name: string; time: string } | null;
  details: Record<string, unknown>;
  remediation: string;
  /** What a finding of this check means, so that a channel can say it without the check's code. */
  description: string;
  /** The check's entry in the alert catalogue. */
  documentation: string;
}

/** A secret as a finding's resource. */
export function secretResource(secret: SecretRef): ResourceRef {
  return { type: 'AwsSecretsManagerSecret', arn: secret.arn, name: secret.name, id: secret.id };
}
