import { isIP } from 'node:net';
import { partitionOfArn } from '../resources/arn';
import type { Finding } from './finding';
import { accountOf, findingIdOf, regionOf } from './findingId';
import type { Severity } from './severity';

/** The OCSF schema version these events follow. */
export const OCSF_VERSION = '1.1.0';
const FINDINGS_CATEGORY = { uid: 2, name: 'Findings' } as const;
/** An event check saw something happen: a Detection Finding. */
export const DETECTION_FINDING = { uid: 2004, name: 'Detection Finding' } as const;
/** The scan judged the state of a resource against a rule: a Compliance Finding. */
export const COMPLIANCE_FINDING = { uid: 2003, name: 'Compliance Finding' } as const;
/** Finding activities: a finding is created, or closed when the state it reported was fixed. */
const ACTIVITY = { create: { id: 1, name: 'Create' }, close: { id: 3, name: 'Close' } } as const;
/** OCSF severity_id: 1 Informational up to 5 Critical. */
const SEVERITY: Record<Severity, { id: number; name: string }> = {
  CRITICAL: { id: 5, name: 'Critical' },
  HIGH: { id: 4, name: 'High' },
  MEDIUM: { id: 3, name: 'Medium' },
  LOW: { id: 2, name: 'Low' },
  INFO: { id: 1, name: 'Informational' },
};

export interface OcsfOptions {
  /** The moment the finding was made: `time` of a scan finding, and metadata.logged_time. */
  now: Date;
  /** secretwatch's own version, for metadata.product.version. */
  productVersion: string;
  /** Create (a finding) or Close (the state it reported was fixed). */
  activity?: 'create' | 'close';
}

export type OcsfEvent = Record<string, unknown> & { class_uid: number; type_uid: number; time: number };

/** Only the keys that have a value: OCSF consumers read an absent attribute and a null one differently. */
function present(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== null && v !== undefined));
}

function resourceOf(finding: Finding, where: { account: string | null; region: string | null }): Record<string, unknown> {
  const r = finding.resource;
  return present({
    type: r.type,
    uid: r.arn ?? r.id ?? r.name ?? 'unknown',
    name: r.name,
    region: where.region,
    cloud_partition: partitionOfArn(r.arn),
    account: where.account ? { uid: where.account, type: 'AWS Account', type_id: 10 } : null,
  });
}

function actorOf(finding: Finding): Record<string, unknown> | null {
  const a = finding.actor;
  if (!a?.arn && !a?.type) return null;
  return { user: present({ uid: a.arn, type: a.type }) };
}

/**
 * A finding as an OCSF event: a Detection Finding (2004) for an event check, a Compliance Finding
 * (2003) for a scan check. The finding's own fields that OCSF has no place for (details, the
 * event's name) go under `unmapped`, which OCSF reserves for them.
 */
export function toOcsf(finding: Finding, options: OcsfOptions): OcsfEvent {
  const cls = finding.event ? DETECTION_FINDING : COMPLIANCE_FINDING;
  const activity = ACTIVITY[options.activity ?? 'create'];
  const severity = SEVERITY[finding.severity];
  const where = { account: accountOf(finding), region: regionOf(finding) };
  const observedMs = finding.event ? Date.parse(finding.event.time) : Number.NaN;
  const time = Number.isNaN(observedMs) ? options.now.getTime() : observedMs;
  const closed = activity === ACTIVITY.close;
  const event: OcsfEvent = {
    activity_id: activity.id,
    activity_name: activity.name,
    category_uid: FINDINGS_CATEGORY.uid,
    category_name: FINDINGS_CATEGORY.name,
    class_uid: cls.uid,
    class_name: cls.name,
    type_uid: cls.uid * 100 + activity.id,
    type_name: `${cls.name}: ${activity.name}`,
    severity_id: severity.id,
    severity: severity.name,
    time,
    status_id: closed ? 4 : 1,
    status: closed ? 'Resolved' : 'New',
    message: finding.title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: 'secretwatch', vendor_name: 'secretwatch', version: options.productVersion },
      logged_time: options.now.getTime(),
      ...(finding.event?.id ? { correlation_uid: finding.event.id } : {}),
    },
    finding_info: present({
      uid: findingIdOf(finding),
      title: finding.title,
      desc: finding.description || null,
      types: [finding.check],
      analytic: { uid: finding.check, name: finding.check, type_id: 1, type: 'Rule' },
      first_seen_time: finding.event ? time : null,
      src_url: finding.documentation || null,
    }),
    cloud: present({ provider: 'AWS', region: where.region, account: where.account ? { uid: where.account, type: 'AWS Account', type_id: 10 } : null }),
    resources: [resourceOf(finding, where)],
    remediation: { desc: finding.remediation || finding.title },
    unmapped: present({ check: finding.check, event_name: finding.event?.name, details: Object.keys(finding.details).length ? finding.details : null }),
  };
  const actor = actorOf(finding);
  if (actor) event.actor = actor;
  // CloudTrail's sourceIPAddress is a service's name when a service made the call: only an address is an endpoint.
  if (finding.actor?.sourceIp && isIP(finding.actor.sourceIp)) event.src_endpoint = { ip: finding.actor.sourceIp };
  if (cls === DETECTION_FINDING) event.is_alert = !closed;
  else {
    event.compliance = { standards: ['secretwatch'], control: finding.check, status_id: closed ? 1 : 3, status: closed ? 'Pass' : 'Fail' };
  }
  return event;
}

/** `--format ocsf`: one event per line. */
export function ocsfJsonLine(event: OcsfEvent): string {
  return `${JSON.stringify(event)}\n`;
}
