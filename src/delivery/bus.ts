import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { Finding } from '../findings/finding';
import type { ResolvedFinding } from '../findings/resolution';

export const FINDING_SOURCE = 'secretwatch';
export const FINDING_DETAIL_TYPE = 'Secrets Manager Compliance Finding';
/** A finding that closed: the state it reported was fixed. */
export const RESOLVED_DETAIL_TYPE = 'Secrets Manager Compliance Finding Resolved';
/** PutEvents takes at most 10 entries a call. */
const MAX_ENTRIES_PER_CALL = 10;

export function findingEntry(busName: string, finding: Finding | ResolvedFinding, time: Date): PutEventsRequestEntry {
  return {
    EventBusName: busName,
    Source: FINDING_SOURCE,
    DetailType: 'type' in finding ? RESOLVED_DETAIL_TYPE : FINDING_DETAIL_TYPE,
    Detail: JSON.stringify(finding),
    Resources: finding.resource.arn ? [finding.resource.arn] : [],
    Time: time,
  };
}

export class BusDeliveryError extends Error {
  override readonly name = 'BusDeliveryError';
  constructor(
    readonly failures: { check: string; errorCode?: string; errorMessage?: string }[],
    /** The findings whose entries were refused; the others are on the bus. */
    readonly refused: ReadonlySet<Finding | ResolvedFinding> = new Set(),
  ) {
    super(`${failures.length} finding(s) not accepted by the event bus: ${[...new Set(failures.map((f) => f.errorCode ?? 'error'))].join(', ')}`);
  }
}

/**
 * Puts every finding (or closed finding, under RESOLVED_DETAIL_TYPE) on the bus, `concurrency` PutEvents calls at a time (a scan can have tens of
 * thousands); throws when any entry was refused (PutEvents reports them per entry, not as an error).
 */
export async function putFindings(client: EventBridgeClient, busName: string, findings: readonly (Finding | ResolvedFinding)[], time: Date, concurrency = 1, signal?: AbortSignal): Promise<void> {
  const failures: BusDeliveryError['failures'] = [];
  const refused = new Set<Finding | ResolvedFinding>();
  const batches: (Finding | ResolvedFinding)[][] = [];
  for (let i = 0; i < findings.length; i += MAX_ENTRIES_PER_CALL) batches.push(findings.slice(i, i + MAX_ENTRIES_PER_CALL));
  const put = async (batch: (Finding | ResolvedFinding)[]) => {
    const out = await client.send(new PutEventsCommand({ Entries: batch.map((f) => findingEntry(busName, f, time)) }), { abortSignal: signal });
    const before = failures.length;
    (out.Entries ?? []).forEach((entry, j) => {
      if (!entry.ErrorCode) return;
      failures.push({ check: batch[j].check, errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage });
      refused.add(batch[j]);
    });
    if ((out.FailedEntryCount ?? 0) > 0 && failures.length === before) {
      // Refused without saying which: count the whole batch as refused (sent again rather than lost).
      failures.push({ check: batch[0].check, errorCode: 'FailedEntryCount' });
      for (const f of batch) refused.add(f);
    }
  };
  for (let i = 0; i < batches.length; i += concurrency) await Promise.all(batches.slice(i, i + concurrency).map(put));
  if (failures.length) throw new BusDeliveryError(failures, refused);
}
