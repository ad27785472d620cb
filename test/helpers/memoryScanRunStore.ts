import { decodeOutcome, encodeOutcome, type ScanRun, type ScanRunStore } from '../../src/runtime/fanOut/store';
import type { UnitOutcome } from '../../src/runtime/fanOut/units';

/**
 * The scan run store in memory, with the DynamoDB store's semantics (a unit stored and counted
 * once, one claim per run) and its encoding (each outcome gzipped JSON, decoded when read back).
 */
export class MemoryScanRunStore implements ScanRunStore {
  readonly runs = new Map<string, ScanRun & { assembling: boolean }>();
  readonly stored = new Map<string, Map<string, Buffer>>();
  /** Throws on putUnit for these unit keys when the outcome is a scan (a worker that breaks down on them). */
  failScannedUnits = new Set<string>();

  async createRun(run: Omit<ScanRun, 'done'>): Promise<boolean> {
    if (this.runs.has(run.run)) return false;
    this.runs.set(run.run, { ...run, done: 0, assembling: false });
    this.stored.set(run.run, new Map());
    return true;
  }

  async getRun(run: string): Promise<ScanRun | null> {
    const r = this.runs.get(run);
    return r ? { run: r.run, total: r.total, done: r.done, scannedAt: r.scannedAt, fullDigest: r.fullDigest, region: r.region, account: r.account } : null;
  }

  async putUnit(run: string, key: string, outcome: UnitOutcome): Promise<boolean> {
    if (outcome.status === 'scanned' && this.failScannedUnits.has(key)) throw new Error(`store refused unit ${key} (injected)`);
    const r = this.runs.get(run);
    const units = this.stored.get(run);
    if (!r || !units) throw new Error(`scan run ${run} is not stored`);
    if (units.has(key)) return false;
    units.set(key, encodeOutcome(outcome));
    r.done++;
    return true;
  }

  async claimAssembly(run: string): Promise<boolean> {
    const r = this.runs.get(run);
    if (!r || r.assembling || r.done < r.total) return false;
    r.assembling = true;
    return true;
  }

  async releaseAssembly(run: string): Promise<void> {
    const r = this.runs.get(run);
    if (r) r.assembling = false;
  }

  async storedKeys(run: string): Promise<Set<string>> {
    return new Set(this.stored.get(run)?.keys() ?? []);
  }

  async *units(run: string): AsyncIterable<{ key: string; outcome: UnitOutcome }> {
    for (const [key, bytes] of [...(this.stored.get(run) ?? new Map<string, Buffer>())].sort(([a], [b]) => (a < b ? -1 : 1))) {
      yield { key, outcome: decodeOutcome(bytes) };
    }
  }
}
