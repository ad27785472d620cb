'use strict';
// Seeded, fast, deterministic randomness for the data generator (no Math.random anywhere in bench
// data: the same parameters must give the same bytes on every machine).

/** cyrb128: a string to four 32-bit seeds. */
function seedsOf(text) {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

const HEX = '0123456789abcdef';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** sfc32 seeded from a string; helpers for the shapes CloudTrail is made of. */
class Rng {
  constructor(seedText) {
    [this.a, this.b, this.c, this.d] = seedsOf(String(seedText));
    for (let i = 0; i < 12; i++) this.u32();
  }

  u32() {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return t >>> 0;
  }

  /** [0, 1) */
  next() {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p) {
    return this.next() < p;
  }

  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }

  /** items: [[value, weight], ...] */
  weighted(items) {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return items[items.length - 1][0];
  }

  chars(alphabet, n) {
    let s = '';
    const len = alphabet.length;
    for (let i = 0; i < n; i++) s += alphabet[this.u32() % len];
    return s;
  }

  hex(n) {
    return this.chars(HEX, n);
  }

  alnum(n) {
    return this.chars(ALNUM, n);
  }

  b64(n) {
    return this.chars(B64, n);
  }

  digits(n) {
    let s = String(this.int(1, 9));
    for (let i = 1; i < n; i++) s += String(this.u32() % 10);
    return s;
  }

  uuid() {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.u32() % 4]}${this.hex(3)}-${this.hex(12)}`;
  }

  /** IAM unique ids: AROA/AIDA/ASIA/AKIA + 16 upper-case base32 characters. */
  iamId(prefix) {
    return prefix + this.chars(UPPER_ALNUM, 16);
  }

  ipv4() {
    return `${this.int(3, 223)}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }
}

module.exports = { Rng, seedsOf };
