import type { WorkBudget } from './budget';

/**
 * IAM wildcard matching: `*` any run of characters, `?` one character (but NUL), everything else literal.
 * Both sides are expected lower-cased by the caller where IAM compares case-insensitively.
 * Linear in practice (one backtrack point, the last `*`); every step is charged to the budget so
 * that a pattern crafted to backtrack cannot stall the analysis.
 */
export function globMatches(pattern: string, text: string, budget: WorkBudget): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  let steps = 0;
  while (t < text.length) {
    if (++steps > 4096) {
      budget.spend(steps);
      steps = 0;
    }
    const c = pattern.charCodeAt(p);
    const x = text.charCodeAt(t);
    // A `*` is a wildcard even where the text holds a `*`; NUL is secretArns' marker that only `*` matches.
    if (p < pattern.length && c === 42 /* * */) {
      star = p++;
      resume = t;
    } else if (p < pattern.length && ((c === 63 /* ? */ && x !== 0) || c === x)) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      budget.spend(steps);
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  budget.spend(steps + 1);
  return p === pattern.length;
}

export function hasWildcard(value: string): boolean {
  return value.includes('*') || value.includes('?');
}
