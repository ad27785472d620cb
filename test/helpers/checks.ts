import { allChecks } from '../../src/checks';
import type { CheckFamily, EventCheck } from '../../src/checks/check';

/** The event checks of one family (one folder under src/checks), in catalogue order. */
export function eventChecksOf(family: CheckFamily): EventCheck[] {
  return allChecks.filter((c): c is EventCheck => c.family === family && c.kind === 'event');
}

export const deletionChecks = eventChecksOf('deletion');
export const policyChecks = eventChecksOf('resource-policy');
export const rotationChecks = eventChecksOf('rotation');
