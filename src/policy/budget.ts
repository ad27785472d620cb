import { PolicyError } from './errors';

/**
 * Bounds the work of one analysis. Every statement, principal, action, condition value and
 * wildcard-matching step costs one unit, so the time an analysis can take is bounded whatever
 * the input's shape (10,000 statements, patterns built to make wildcard matching backtrack).
 * A real policy (Secrets Manager caps them at 20 KB) needs a few thousand units.
 */
export const MAX_WORK_UNITS = 5_000_000;

export class WorkBudget {
  private left: number;

  constructor(readonly limit: number = MAX_WORK_UNITS) {
    this.left = limit;
  }

  spend(units: number): void {
    this.left -= units;
    if (this.left < 0) throw new PolicyError('too-complex', `policy too complex to analyse (more than ${this.limit.toLocaleString('en-US')} steps)`);
  }

  get used(): number {
    return this.limit - this.left;
  }
}
