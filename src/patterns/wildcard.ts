import type { WildcardGlob } from './ast';
import { reject } from './errors';

/** UTF-8 length of the code point starting at `index`; Java encodes a lone surrogate as '?'. */
function utf8Width(text: string, index: number): { bytes: number; units: number } {
  const code = text.codePointAt(index) ?? 0;
  if (code >= 0xd800 && code <= 0xdfff) return { bytes: 1, units: 1 };
  if (code < 0x80) return { bytes: 1, units: 1 };
  if (code < 0x800) return { bytes: 2, units: 1 };
  if (code < 0x10000) return { bytes: 3, units: 1 };
  return { bytes: 4, units: 2 };
}

/**
 * event-ruler's WildcardParser: `*` matches any run of characters, `\*` and `\\` are a literal
 * star and backslash, any other backslash and any `**` are errors. Error positions are UTF-8 byte
 * offsets into the value as event-ruler stores it, wrapped in double quotes, so they start at 1.
 */
export function parseWildcard(text: string): WildcardGlob {
  const segments: string[] = [];
  let literal = '';
  let bytePos = 1; // the opening quote is byte 0
  for (let i = 0; i < text.length; ) {
    const ch = text[i];
    if (ch === '*') {
      if (text[i + 1] === '*') reject(`Consecutive wildcard characters at pos ${bytePos}`);
      segments.push(literal);
      literal = '';
      i += 1;
      bytePos += 1;
    } else if (ch === '\\') {
      const next = text[i + 1];
      // A trailing backslash would escape the closing quote, which is no valid escape either.
      if (next !== '*' && next !== '\\') reject(`Invalid escape character at pos ${bytePos}`);
      literal += next;
      i += 2;
      bytePos += 2;
    } else {
      const width = utf8Width(text, i);
      literal += text.slice(i, i + width.units);
      i += width.units;
      bytePos += width.bytes;
    }
  }
  segments.push(literal);
  return { segments };
}

/**
 * Whether `value` matches the glob. Greedy leftmost placement of each middle segment is optimal
 * for `*`-only globs, so this runs in linear-ish time where a backtracking regex could explode on
 * a hostile pattern such as `*a*a*a*a*b` against a long run of "a"s.
 */
export function matchesGlob(glob: WildcardGlob, value: string): boolean {
  const { segments } = glob;
  const first = segments[0];
  if (segments.length === 1) return value === first;
  const last = segments[segments.length - 1];
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i];
    const at = value.indexOf(segment, pos);
    if (at === -1 || at + segment.length > end) return false;
    pos = at + segment.length;
  }
  return true;
}
