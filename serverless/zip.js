'use strict';
// Reads the zips `serverless package` writes (stored and deflated entries): the recompression
// step of packaging reads them back, and tests and the benchmark unpack a function the way Lambda
// does, without an unzip binary or a dependency.
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve, sep } = require('node:path');
const { inflateRawSync } = require('node:zlib');

/** Entries from the zip's central directory. */
function zipEntries(zipPath) {
  const buf = readFileSync(zipPath);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${zipPath}: not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory`);
    const nameLength = buf.readUInt16LE(p + 28);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + nameLength),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      offset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLength + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

function entryData(zipPath, buf, entry) {
  const start = entry.offset + 30 + buf.readUInt16LE(entry.offset + 26) + buf.readUInt16LE(entry.offset + 28);
  const raw = buf.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(raw);
  if (entry.method === 8) return inflateRawSync(raw);
  throw new Error(`${zipPath}: ${entry.name} uses compression method ${entry.method}`);
}

/** The content of one entry. */
function zipEntryContent(zipPath, name) {
  const entry = zipEntries(zipPath).find((e) => e.name === name);
  if (!entry) throw new Error(`${zipPath}: no entry ${name}`);
  return entryData(zipPath, readFileSync(zipPath), entry);
}

/** Unpacks every file entry under dest; refuses entries that would land outside it. */
function extractZip(zipPath, dest) {
  const root = resolve(dest);
  const buf = readFileSync(zipPath);
  const files = [];
  for (const entry of zipEntries(zipPath)) {
    if (entry.name.endsWith('/')) continue;
    const target = resolve(join(root, entry.name));
    if (!target.startsWith(root + sep)) throw new Error(`${zipPath}: ${entry.name}: path outside the archive`);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entryData(zipPath, buf, entry));
    files.push(entry.name);
  }
  return files;
}

module.exports = { zipEntries, zipEntryContent, extractZip };
