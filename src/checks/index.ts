import { severityRank } from '../findings/severity';
import { CHECK_FAMILIES, type CheckFamily, type EventCheck, type ReportedCheck } from './check';
import type { InventoryCheck } from './inventory/types';
import * as registered from './registry';

export type AnyCheck = EventCheck | InventoryCheck | ReportedCheck;

const familyOrder = new Map<CheckFamily, number>(CHECK_FAMILIES.map((f, i) => [f.id, i]));

/**
 * The catalogue's order: by family, then most severe first, then by id. Ids are compared as plain
 * text: localeCompare would load the ICU collator, some milliseconds of every cold start, to order
 * lowercase ASCII as plain comparison does.
 */
function compareChecks(a: AnyCheck, b: AnyCheck): number {
  const rank = (c: AnyCheck) => Math.min(...c.severities.map(severityRank).map((r) => -r));
  return (familyOrder.get(a.family) ?? 99) - (familyOrder.get(b.family) ?? 99) || rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Every registered check, in catalogue order. */
export const allChecks: readonly AnyCheck[] = (Object.values(registered) as AnyCheck[]).sort(compareChecks);

const byId = new Map(allChecks.map((check) => [check.id, check] as const));

export function checkById(id: string): AnyCheck | undefined {
  return byId.get(id);
}

/** The checks a function runs: those that name it as their monitor. */
export function checksRunBy(monitor: string): AnyCheck[] {
  return allChecks.filter((c) => c.monitor === monitor);
}

export function eventChecksRunBy(monitor: string): EventCheck[] {
  return checksRunBy(monitor).filter((c): c is EventCheck => c.kind === 'event');
}

export function scanChecksRunBy(monitor: string): InventoryCheck[] {
  return checksRunBy(monitor).filter((c): c is InventoryCheck => c.kind === 'scan');
}

/** The families with their checks, for the alert catalogue. */
export function checkFamilies(): { name: string; checks: AnyCheck[] }[] {
  return CHECK_FAMILIES.map((f) => ({ name: f.name, checks: allChecks.filter((c) => c.family === f.id) })).filter((f) => f.checks.length > 0);
}
