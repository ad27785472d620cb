export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Exit codes, as documented in `secretwatch --help`. */
export const EXIT = { ok: 0, failOn: 1, usage: 2, badInput: 3, publishFailed: 4 } as const;
