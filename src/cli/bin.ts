import { main } from './main';

// `secretwatch replay ... | head`: the reader went away, so stop quietly, as other Unix tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }).then(
  (code) => {
    process.exitCode = code;
    // Leave once what was written is out: waiting for the replay's worker threads to be torn down
    // and for idle sockets to close adds tens of milliseconds and changes nothing.
    let streams = 2;
    const flushed = () => {
      if (--streams === 0) process.exit(code);
    };
    process.stdout.write('', flushed);
    process.stderr.write('', flushed);
  },
  (error: unknown) => {
    process.stderr.write(`secretwatch: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
