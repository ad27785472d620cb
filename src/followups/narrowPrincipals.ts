import { isAnyAwsPrincipal } from '../policy';

/** What was taken out of one statement's principal list. */
export interface NarrowedStatement {
  index: number;
  sid: string | null;
  removedPrincipals: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own key of `object` that matches `name` case-insensitively, as IAM reads element names. */
function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(object).find((k) => k.toLowerCase() === name);
}

/**
 * The statement with every "anyone" entry ("*", or an ARN wildcarded where its account goes) taken
 * out of its Principal's AWS list, or null when that leaves nothing to keep: a Principal that is
 * "*" itself, a NotPrincipal, or a list of nothing but such entries. A role listed beside "*"
 * keeps its access; only the "*" goes.
 */
export function withoutAnyonePrincipal(statement: unknown): { statement: Record<string, unknown>; removed: string[] } | null {
  if (!isObject(statement)) return null;
  const principalKey = keyOf(statement, 'principal');
  if (principalKey === undefined || keyOf(statement, 'notprincipal') !== undefined) return null;
  const principal = statement[principalKey];
  if (!isObject(principal)) return null;
  const awsKey = keyOf(principal, 'aws');
  if (awsKey === undefined) return null;
  const entries = principal[awsKey];
  const list = typeof entries === 'string' ? [entries] : Array.isArray(entries) ? entries : null;
  if (!list?.every((e): e is string => typeof e === 'string')) return null;
  const removed = list.filter(isAnyAwsPrincipal);
  const kept = list.filter((e) => !isAnyAwsPrincipal(e));
  if (removed.length === 0) return null;
  const rest = Object.fromEntries(Object.entries(principal).filter(([k]) => k !== awsKey));
  const narrowed = kept.length ? { ...rest, [awsKey]: kept.length === 1 ? kept[0] : kept } : rest;
  if (Object.keys(narrowed).length === 0) return null;
  return { statement: { ...statement, [principalKey]: narrowed }, removed };
}
