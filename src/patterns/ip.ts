import type { IpRange } from './ast';
import { reject } from './errors';

// event-ruler only hands strings shaped like these to InetAddress (anything else would start a
// DNS lookup), so only they can ever be IP addresses; note that dotted-quad-in-IPv6 is excluded.
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** Java's IPAddressUtil.textToNumericFormatV4, for the four-part form the shape check allows. */
function parseIpv4(text: string): number[] | null {
  // Java refuses longer literals outright, even "0000000001.0.0.1".
  if (text.length > 15) return null;
  const bytes: number[] = [];
  for (const part of text.split('.')) {
    // Leading zeros are decimal, not octal, in Java's strict parser: 010 is 10.
    const value = Number.parseInt(part, 10);
    if (value > 0xff) return null;
    bytes.push(value);
  }
  return bytes;
}

/**
 * Java's IPAddressUtil.textToNumericFormatV6, including its leniencies (a group may have more than
 * four digits if its value fits in 16 bits) and its IPv4-mapped addresses collapsing to 4 bytes.
 */
function parseIpv6(text: string): number[] | null {
  if (text.length < 2) return null;
  const dst = new Array<number>(16).fill(0);
  let i = 0;
  let j = 0;
  let colonAt = -1;
  if (text[0] === ':' && text[++i] !== ':') return null;
  let sawDigit = false;
  let value = 0;
  while (i < text.length) {
    const ch = text[i++];
    const digit = Number.parseInt(ch, 16);
    if (!Number.isNaN(digit)) {
      value = (value << 4) | digit;
      if (value > 0xffff) return null;
      sawDigit = true;
      continue;
    }
    // The shape check leaves ':' as the only other character.
    if (!sawDigit) {
      if (colonAt !== -1) return null;
      colonAt = j;
      continue;
    }
    if (i === text.length) return null;
    if (j + 2 > 16) return null;
    dst[j++] = (value >> 8) & 0xff;
    dst[j++] = value & 0xff;
    sawDigit = false;
    value = 0;
  }
  if (sawDigit) {
    if (j + 2 > 16) return null;
    dst[j++] = (value >> 8) & 0xff;
    dst[j++] = value & 0xff;
  }
  if (colonAt !== -1) {
    const n = j - colonAt;
    if (j === 16) return null;
    for (let k = 1; k <= n; k++) {
      dst[16 - k] = dst[colonAt + n - k];
      dst[colonAt + n - k] = 0;
    }
    j = 16;
  }
  if (j !== 16) return null;
  const mapped = dst.slice(0, 10).every((b) => b === 0) && dst[10] === 0xff && dst[11] === 0xff;
  return mapped ? dst.slice(12) : dst;
}

/** The address bytes, or null where Java's InetAddress.getByName would fail. */
function ipBytes(text: string): number[] | null {
  if (IPV4_SHAPE.test(text)) return parseIpv4(text);
  if (IPV6_SHAPE.test(text)) return parseIpv6(text);
  return null;
}

function toHex(bytes: readonly number[]): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).toUpperCase().padStart(2, '0');
  return hex;
}

/** An event string as event-ruler's CIDR matching sees it: upper-case hex, or null if no IP. */
export function ipHex(text: string): string | null {
  if (!looksLikeIp(text)) return null;
  const bytes = ipBytes(text);
  return bytes === null ? null : toHex(bytes);
}

/** A pattern string that is an IP address literal matches that address in any notation. */
export function ipLiteralRange(text: string): IpRange | null {
  const hex = ipHex(text);
  return hex === null ? null : { low: hex, high: hex };
}

export function ipInRange(hex: string, range: IpRange): boolean {
  // Hex strings of one length compare like the numbers they spell; IPv4 never falls in IPv6.
  return hex.length === range.low.length && hex >= range.low && hex <= range.high;
}

/** Java's String.split("/"): trailing empty strings are dropped, a leading one is kept. */
function javaSplit(text: string): string[] {
  const parts = text.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java's Integer.parseInt (ASCII digits): optional sign, 32-bit range, else NaN. */
function javaParseInt(text: string): number {
  if (!/^[+-]?[0-9]+$/.test(text)) return Number.NaN;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : Number.NaN;
}

/** event-ruler's CIDR.cidr, reasons included; note that /32 and /128 are refused. */
export function cidrRange(cidr: string): IpRange {
  const parts = javaSplit(cidr);
  if (parts.length !== 2) reject("Malformed CIDR, one '/' required");
  const maskBits = javaParseInt(parts[1]);
  if (Number.isNaN(maskBits)) reject('Malformed CIDR, mask bits must be an integer');
  if (maskBits < 0) reject('Malformed CIDR, mask bits must not be negative');
  const address = parts[0];
  const bytes = looksLikeIp(address) ? ipBytes(address) : [];
  if (bytes === null) reject(`Invalid IP address: ${address}`);
  if (bytes.length !== 4 && bytes.length !== 16) reject(`Nonstandard IP address: ${address}`);
  if (bytes.length === 4 && maskBits > 31) reject('IPv4 mask bits must be < 32');
  if (bytes.length === 16 && maskBits > 127) reject('IPv6 mask bits must be < 128');
  let variableBits = bytes.length * 8 - maskBits;
  const low = [...bytes];
  const high = [...bytes];
  for (let i = bytes.length - 1; i >= 0 && variableBits > 0; i--, variableBits -= 8) {
    const hostMask = (1 << Math.min(8, variableBits)) - 1;
    low[i] = bytes[i] & ~hostMask & 0xff;
    high[i] = bytes[i] | hostMask;
  }
  return { low: toHex(low), high: toHex(high) };
}
