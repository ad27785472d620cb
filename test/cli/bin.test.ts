/**
 * The installed command as a shell runs it (bin/secretwatch.js, a real process): output piped into
 * a reader that stops early, as `secretwatch replay ... | head` does.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

jest.setTimeout(60_000);

test('a reader that goes away (| head) ends the command quietly, exit 0, no EPIPE stack', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'secretwatch.js'), 'replay', join(ROOT, 'samples', 'trail'), '--format', 'json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Read the first line, then close our end of the pipe: the next writes meet EPIPE.
  const firstLine = await new Promise<string>((resolve) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        child.stdout.destroy();
        resolve(buffered.slice(0, end));
      }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  expect(JSON.parse(firstLine)).toHaveProperty('check');
  expect(stderr).not.toMatch(/EPIPE|Unhandled|internal error/);
  expect(code).toBe(0);
});
