'use strict';

// Recompresses each function's zip at deflate level 9 once serverless-esbuild has written it.
// serverless-esbuild's archiver writes at its fastest level, which leaves a minified bundle about
// a tenth larger than it needs to be; Lambda unzips either the same way. The entries, their order
// and their fixed date are kept, so the same code still gives the same zip (and deploys skip an
// unchanged function).

const { createWriteStream, existsSync, renameSync } = require('node:fs');
const { resolve } = require('node:path');
const archiver = require('archiver');
const { zipEntries, zipEntryContent } = require('./zip');

const LEVEL = 9;
/** The date serverless-esbuild gives every entry, for a zip that depends on its content only. */
const FIXED_DATE = new Date(0);

async function recompressZip(zipPath) {
  const entries = zipEntries(zipPath).map((entry) => ({ name: entry.name, content: zipEntryContent(zipPath, entry.name) }));
  const temp = `${zipPath}.level${LEVEL}`;
  await new Promise((done, fail) => {
    const archive = archiver('zip', { zlib: { level: LEVEL } });
    const out = createWriteStream(temp);
    out.on('close', done);
    archive.on('error', fail);
    out.on('error', fail);
    archive.pipe(out);
    // Directories are implied by the file names, as in serverless-esbuild's own zips.
    for (const { name, content } of entries) if (!name.endsWith('/')) archive.append(content, { name, date: FIXED_DATE, mode: 0o644 });
    archive.finalize();
  });
  renameSync(temp, zipPath);
}

class RecompressPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    const all = () => this.recompressAll();
    // After serverless-esbuild's own after-hook, which moves the zips to their final place.
    this.hooks = { 'after:package:createDeploymentArtifacts': all, 'after:deploy:function:packageFunction': all };
  }

  async recompressAll() {
    const service = this.serverless.service;
    const servicePath = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    const artifacts = new Set();
    for (const name of service.getAllFunctions()) {
      const artifact = service.getFunction(name).package?.artifact;
      if (artifact) artifacts.add(resolve(servicePath, artifact));
    }
    for (const artifact of artifacts) if (existsSync(artifact)) await recompressZip(artifact);
  }
}

module.exports = RecompressPlugin;
module.exports.recompressZip = recompressZip;
