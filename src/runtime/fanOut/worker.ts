import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { Config } from '../../config/config';
import { errorField, type Log } from '../../delivery/log';
import { scanTarget, targetRoleArn, unreachableScan, type CentralScanDeps, type MemberScan } from '../centralScan';
import { assembleWhenComplete } from './coordinator';
import type { AssemblyTrigger, ScanRunStore } from './store';
import { scanUnitSchema, unitKey, type ScanUnit } from './units';

export interface ScanWorkerDeps {
  config: Config;
  store: ScanRunStore;
  trigger: AssemblyTrigger;
  central: CentralScanDeps;
  log: Log;
  /** Messages from this queue are units that failed on every attempt: recorded as unreachable, not scanned again. */
  deadLetterQueueArn: string | null;
  /** Epoch ms after which no version look-up starts (the invocation's deadline). */
  lookupDeadlineMs?: () => number;
}

type Parsed = { ok: true; unit: ScanUnit } | { ok: false; reason: string };

function parseUnit(body: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the message is not JSON' };
  }
  const result = scanUnitSchema.safeParse(json);
  if (!result.success) return { ok: false, reason: result.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ') };
  return { ok: true, unit: result.data };
}

/** The outcome of one unit: its scan, or for a dead letter the finding that it could not be scanned. */
async function outcomeOf(unit: ScanUnit, deadLetter: boolean, deps: ScanWorkerDeps): Promise<MemberScan> {
  const options = { config: deps.config, now: new Date(unit.scannedAt), lookupDeadlineMs: deps.lookupDeadlineMs?.() };
  if (!deadLetter) return scanTarget(unit, options, deps.central);
  return unreachableScan(
    {
      account: unit.account,
      region: unit.region,
      roleArn: targetRoleArn(unit, deps.central),
      step: 'ScanWorker',
      error: 'the scan worker failed on every attempt; its log has the errors',
    },
    options,
  );
}

async function handleRecord(record: SQSRecord, deps: ScanWorkerDeps): Promise<void> {
  const parsed = parseUnit(record.body);
  if (!parsed.ok) {
    // Not a unit the coordinator wrote: nothing to scan or count, and retrying would not change it.
    deps.log.error('invalid scan unit: dropped, not retried', { messageId: record.messageId, reason: parsed.reason });
    return;
  }
  const { unit } = parsed;
  const deadLetter = deps.deadLetterQueueArn !== null && record.eventSourceARN === deps.deadLetterQueueArn;
  const outcome = await outcomeOf(unit, deadLetter, deps);
  const stored = await deps.store.putUnit(unit.run, unitKey(unit), outcome);
  const assembling = await assembleWhenComplete(unit.run, deps);
  const fields = { run: unit.run, account: unit.account, region: unit.region, stored, assembling };
  if (outcome.status === 'scanned') deps.log.info('scan unit done', { ...fields, secrets: outcome.result.evaluation.counts.secrets, calls: outcome.result.calls });
  else deps.log.error('scan unit unreachable', { ...fields, step: outcome.step, error: outcome.error, deadLetter });
}

/**
 * The scanWorker function: each message is one unit (account and region) of a fanned-out central
 * scan. A unit is stored once whatever the deliveries; a message whose handling fails is reported
 * back alone (partial batch response), retried by SQS, and after its last attempt lands in the
 * dead-letter queue, whose messages this same function records as scan-account-unreachable.
 */
export async function handleScanUnits(event: SQSEvent, deps: ScanWorkerDeps): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records ?? []) {
    try {
      await handleRecord(record, deps);
    } catch (error) {
      deps.log.error('scan unit failed: retried', { messageId: record.messageId, error: errorField(error) });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
