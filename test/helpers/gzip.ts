import { crc32, deflateRawSync } from 'node:zlib';

/** A gzip member written by hand with every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC). */
export function gzipWithEveryHeaderField(data: Buffer): Buffer {
  const extra = Buffer.from([0x41, 0x70, 0x02, 0x00, 0x01, 0x02]);
  const head = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]), Buffer.from([extra.length, 0]), extra, Buffer.from('trail.json\0comment\0', 'latin1')]);
  const hcrc = Buffer.alloc(2);
  hcrc.writeUInt16LE(crc32(head) & 0xffff);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(data), 0);
  trailer.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, hcrc, deflateRawSync(data), trailer]);
}
