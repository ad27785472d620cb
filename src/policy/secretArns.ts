import type { WorkBudget } from './budget';
import { globMatches } from './glob';

/**
 * Resource patterns against secret ARNs. IAM matches a Resource pattern against the ARN with `*`
 * (any run of characters, colons included) and `?` (one character), case-sensitively.
 *
 * "Every secret of the account" is the set of ARNs arn:<partition>:secretsmanager:<region>:<account>:secret:<name>
 * for any region and any name. It is written here as a pattern over two markers that no literal
 * character of a policy can equal: ONE stands for the first character of a region or a name (a
 * `?` or a `*` of the policy can match it), ANY for the rest (only a `*` can match it). A policy
 * pattern then covers every secret exactly when it matches that template, and reaches some
 * secret exactly when it and the template have a string in common.
 */
const ONE = '\u0001';
const ANY = '\u0000';
const SOME = `${ONE}${ANY}`;

/** The template of every secret ARN of an account (any account when it is null). */
export function secretArnTemplate(partition: string, account: string | null): string {
  return `arn:${partition}:secretsmanager:${SOME}:${account ?? SOME}:secret:${SOME}`;
}

/** The policy pattern matches every string the template stands for. */
export function coversTemplate(pattern: string, template: string, budget: WorkBudget): boolean {
  // Markers in a policy would be literal characters that match nothing: never a real ARN.
  if (pattern.includes(ANY) || pattern.includes(ONE)) return false;
  return globMatches(pattern, template, budget);
}

/**
 * The policy pattern and the template share at least one string: the pattern names some secret of
 * the account. Dynamic programming over both positions, O(|pattern| x |template|), charged to the budget.
 */
export function meetsTemplate(pattern: string, template: string, budget: WorkBudget): boolean {
  const n = pattern.length;
  const m = template.length;
  budget.spend((n + 1) * (m + 1));
  // reach[i][j]: pattern[i..] and template[j..] have a string in common; filled from the end.
  let next = new Uint8Array(m + 1);
  let row = new Uint8Array(m + 1);
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      const p = i < n ? pattern.charCodeAt(i) : -1;
      const t = j < m ? template.charCodeAt(j) : -1;
      let ok: boolean;
      if (i === n && j === m) ok = true;
      else if (p === 42) ok = next[j] === 1 || (j < m && row[j + 1] === 1);
      else if (t === 0) ok = row[j + 1] === 1 || (i < n && next[j] === 1);
      else if (i === n || j === m) ok = false;
      else ok = (p === 63 || t === 1 || p === t) && next[j + 1] === 1;
      row[j] = ok ? 1 : 0;
    }
    [next, row] = [row, next];
  }
  return next[0] === 1;
}

/** A concrete ARN matched against a policy pattern, as IAM matches Resource. */
export const arnMatches = coversTemplate;
