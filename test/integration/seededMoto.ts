/**
 * moto_server started with a Secrets Manager inventory already in it (seededMoto.py): thousands of
 * secrets, dated in the past, in a second instead of minutes of CreateSecret calls.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MotoLaunch } from './motoServer';

export interface SeedSecret {
  name: string;
  /** Epoch seconds. */
  created: number;
  lastChanged?: number;
  lastAccessed?: number;
  deleted?: number;
  kmsKeyId?: string;
  tags?: { Key: string; Value: string }[];
  rotation?: { days: number; lambdaArn: string; lastRotated: number; next: number };
}

export interface SeedSpec {
  account: string;
  region: string;
  secrets: SeedSecret[];
}

/** The Python that runs moto_server: the interpreter named on its first line, else python3 on the PATH. */
function pythonOf(motoServer: string): string {
  const candidates = ['python3', 'python'];
  const shebang = /^#!\s*(\S*python[\d.]*)\s*$/m.exec(spawnSync('head', ['-1', motoServer], { encoding: 'utf8' }).stdout ?? '');
  if (shebang) candidates.unshift(shebang[1]);
  for (const python of candidates) {
    if (spawnSync(python, ['-c', 'import moto.server, moto.secretsmanager.models'], { stdio: 'ignore' }).status === 0) return python;
  }
  throw new Error(`no Python with moto found next to ${motoServer} (tried ${candidates.join(', ')})`);
}

/** A launch of seededMoto.py with this inventory, for describeWithMoto. */
export function seededLaunch(spec: SeedSpec): (motoServer: string) => MotoLaunch {
  return (motoServer) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'secretwatch-seed-')), 'inventory.json');
    writeFileSync(file, JSON.stringify(spec));
    return { command: pythonOf(motoServer), args: [path.join(__dirname, 'seededMoto.py'), '--seed', file] };
  };
}
