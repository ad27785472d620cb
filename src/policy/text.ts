/** Values from a policy are hostile input: shown shortened and quoted, never verbatim at any length. */
export const MAX_SHOWN_CHARS = 160;

export function shorten(value: string, max = MAX_SHOWN_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max - 3)}...`;
}

export function quoted(value: string): string {
  return JSON.stringify(shorten(value));
}

/** "a", "a and b", "a, b and 3 more" */
export function listed(items: readonly string[], max = 3): string {
  if (items.length <= 1) return items.join('');
  if (items.length <= max) return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
