'use strict';
// Preload (node -r bench/peak-rss.js ...) used when /usr/bin/time is not installed: prints the
// process's peak resident set size on stderr as it exits, in the same form the bench parses.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_MAXRSS_KB=${process.resourceUsage().maxRSS}\n`);
});
