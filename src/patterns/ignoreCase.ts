const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;

function escapeRegex(text: string): string {
  return text.replace(REGEX_SPECIAL, '\\$&');
}

/**
 * event-ruler's EqualsIgnoreCaseParser: each UTF-16 unit of the pattern may appear in the value as
 * its own lower-case or upper-case form, and nothing else. That is not case folding: "ß" accepts
 * "ß" or "SS" but not "ss", and a title-case letter like "ǅ" accepts "ǆ" or "Ǆ" but not itself. A
 * lone surrogate half becomes '?' in Java's UTF-8 encoder, so a pattern holding an emoji asks
 * for "??". The value is never folded, only compared.
 */
function alternatives(text: string): { source: string; maxLength: number } {
  let source = '';
  let maxLength = 0;
  for (const unit of text.split('')) {
    const code = unit.charCodeAt(0);
    const forms = code >= 0xd800 && code <= 0xdfff ? ['?'] : [...new Set([unit.toLowerCase(), unit.toUpperCase()])];
    source += forms.length === 1 ? escapeRegex(forms[0]) : `(?:${forms.map(escapeRegex).join('|')})`;
    maxLength += Math.max(...forms.map((f) => f.length));
  }
  return { source, maxLength };
}

export type CaseInsensitiveTest = (value: string) => boolean;

export function equalsIgnoreCase(text: string): CaseInsensitiveTest {
  const regex = new RegExp(`^${alternatives(text).source}$`);
  return (value) => regex.test(value);
}

/**
 * event-ruler keeps values quoted, so a pattern character '"' can also match the closing quote
 * of the value: `{"prefix": {"equals-ignore-case": "ab\""}}` matches "ab". Appending the quote
 * only when the pattern holds one keeps the common case allocation-free.
 */
export function prefixIgnoreCase(text: string): CaseInsensitiveTest {
  const regex = new RegExp(`^${alternatives(text).source}`);
  const quoted = text.includes('"');
  return (value) => regex.test(quoted ? `${value}"` : value);
}

export function suffixIgnoreCase(text: string): CaseInsensitiveTest {
  const { source, maxLength } = alternatives(text);
  const regex = new RegExp(`${source}$`);
  const quoted = text.includes('"');
  return (value) => {
    const subject = quoted ? `"${value}` : value;
    // Only the tail can hold a match; slicing keeps a long value from costing a scan per start.
    return regex.test(subject.length > maxLength ? subject.slice(subject.length - maxLength) : subject);
  };
}
