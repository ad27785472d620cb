import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, configFromObject, type Config } from '../config/config';

export const DEFAULT_CONFIG_FILE = 'secretwatch.config.json';

/**
 * CLI configuration: `secretwatch.config.json` (the named file, or the one in the working
 * directory if there is one), then `--set key=value` flags over it; validated like Lambda's.
 */
export function loadCliConfig(cwd: string, configPath: string | undefined, overrides: readonly string[]): Config {
  const input: Record<string, unknown> = {};
  const path = configPath ? resolve(cwd, configPath) : resolve(cwd, DEFAULT_CONFIG_FILE);
  if (configPath || existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(path, `cannot read: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(path, `not valid JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(path, 'must hold a JSON object');
    Object.assign(input, parsed);
  }
  for (const pair of overrides) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new ConfigError(`--set ${pair}`, 'expected key=value');
    input[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return configFromObject(input, configPath || existsSync(path) ? 'config' : '--set');
}
