import type { ResourceRef } from '../resources/resource';
import { resourceOfAsff, type AsffFinding } from './asff';
import type { Finding } from './finding';
import type { FindingSubject } from './findingId';
import { isSeverity, type Severity } from './severity';

/** A state that was fixed: the finding of `subject`, if one is open, no longer holds. */
export interface FindingResolution {
  subject: FindingSubject;
  /** Why, in words, for whoever reads the closed finding. */
  reason: string;
  /** The event that fixed it; null when a scan no longer finds it. */
  event: Finding['event'];
}

/** What the findings bus (and, when asked for, the alert topic) carries when a finding closes. */
export interface ResolvedFinding {
  type: 'secretwatch-finding-resolved';
  /** The closed finding's stable Id (its Security Hub Id). */
  id: string;
  check: string;
  /** The severity the finding had while it was open. */
  severity: Severity;
  title: string;
  resource: ResourceRef;
  account: string;
  region: string | null;
  reason: string;
  event: Finding['event'];
  resolvedAt: string;
}

const FROM_LABEL: Record<string, Severity> = { CRITICAL: 'CRITICAL', HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW', INFORMATIONAL: 'INFO' };

/** The closed finding as the bus announces it, from the open record it closes. */
export function resolvedFindingOf(open: AsffFinding, resolution: Pick<FindingResolution, 'reason' | 'event'>, now: Date): ResolvedFinding {
  const original = open.Severity.Original;
  return {
    type: 'secretwatch-finding-resolved',
    id: open.Id,
    check: open.GeneratorId,
    severity: isSeverity(original) ? original : (FROM_LABEL[open.Severity.Label] ?? 'INFO'),
    title: open.Title,
    resource: resourceOfAsff(open),
    account: open.AwsAccountId,
    region: open.Region ?? null,
    reason: resolution.reason,
    event: resolution.event,
    resolvedAt: now.toISOString(),
  };
}

/** The closed finding in a few plain lines: what it was, why it closed. */
export function resolvedText(resolved: ResolvedFinding): string {
  const where = [resolved.account, resolved.region].filter(Boolean).join(' ');
  return [
    `Resolved: ${resolved.title}`,
    `Check: ${resolved.check} (was ${resolved.severity})`,
    `Where: ${where}`,
    `Why: ${resolved.reason}${resolved.event ? ` (${resolved.event.name} ${resolved.event.id ?? ''})`.replace(/ \)$/, ')') : ''}`,
    `Closed at: ${resolved.resolvedAt}`,
  ].join('\n');
}
