import type { Severity } from './severity';

/** The finding contract of DESIGN section 4: one JSON object, stable field order. */
export interface Finding {
  check: string;
  severity: Severity;
  title: string;
  secret: { arn: string | null; name: string | null; id: string | null };
  account: string | null;
  region: string | null;
  actor: { arn: string | null; type: string | null; sourceIp: string | null; userAgent: string | null } | null;
  /** null for scan findings. */
  event: { id: string | null; name: string; time: string } | null;
  details: Record<string, unknown>;
  remediation: string;
}
