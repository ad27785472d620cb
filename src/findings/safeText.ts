/**
 * The one place where text from CloudTrail or a policy (a secret's name, a user agent, a Sid, an
 * error message: all attacker-controlled) is made safe for a person to read, before any format's
 * own escaping. Whatever the input (NUL, escape sequences, bidi overrides, lone surrogates, 10,000
 * characters), the result is one line of well-formed text in which every character that could
 * act on a terminal or reorder, hide or forge what is shown appears as a visible escape such as
 * `\x1B` or `\u202E`. Line breaks fold to a space, so a value cannot add lines or table rows.
 */

/** Line breaks of every kind: folded to one space, so a value stays on its line. */
const LINE_BREAKS = /[\r\n\t\v\f\u0085\u2028\u2029]+/g;

/**
 * Control characters (C0, DEL, C1: terminal escapes start with ESC or CSI), bidi controls (they
 * reorder what is displayed), invisible and zero-width characters (they hide or join text), tag
 * characters, and surrogates that are not part of a pair (invalid UTF-16 that encoders reject).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}\ud800-\udfff]|\u034f/gu;

function escapeOne(char: string): string {
  const code = char.codePointAt(0) as number;
  if (code <= 0xff) return `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `\\u{${code.toString(16).toUpperCase()}}`;
}

/** `value` as one safe line (see above). */
export function safeLine(value: string): string {
  return value.replace(LINE_BREAKS, ' ').replace(UNSAFE, escapeOne);
}

/** safeLine for a value that may be missing. */
export function safeOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : safeLine(value);
}

/** Surrogates that are not part of a pair: what makes encodeURIComponent throw and UTF-8 encoders choke. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `value` with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder would: safe to encode. */
export function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\ufffd');
}
