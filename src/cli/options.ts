import { InvalidArgumentError } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../findings/render';
import { parseSeverity, SEVERITIES, type Severity } from '../findings/severity';
import { ACCOUNT_ID, REGION_NAME } from '../resources/arn';
import type { MemberAccounts } from '../runtime/centralScan';
import { isScanRoleName } from '../runtime/scanRoleName';

export function severityOption(value: string): Severity {
  const s = parseSeverity(value);
  if (!s) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return s;
}

export function formatOption(value: string): OutputFormat {
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return value as OutputFormat;
}

/** An ISO 8601 date or time ("2024-01-31", "2024-01-31T12:00:00Z"), or a duration back from now ("36h", "7d"). */
export function timeOption(now: () => Date) {
  return (value: string): Date => {
    const rel = /^(\d+)([hd])$/.exec(value.trim());
    if (rel) return new Date(now().getTime() - Number(rel[1]) * (rel[2] === 'h' ? 3_600_000 : 86_400_000));
    if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
      throw new InvalidArgumentError('expected an ISO 8601 date or time (2024-01-31, 2024-01-31T12:00:00Z) or a duration like 36h or 7d');
    }
    const text = value.trim().length === 10 ? `${value.trim()}T00:00:00Z` : value.trim();
    const utc = !/[+-]\d{2}:?\d{2}$/.test(text);
    const ms = Date.parse(utc && !text.endsWith('Z') ? `${text}Z` : text);
    // Date.parse rolls 2024-02-30 over into March; a date that does not exist is a typo.
    if (Number.isNaN(ms) || (utc && new Date(ms).toISOString().slice(0, 10) !== text.slice(0, 10))) throw new InvalidArgumentError('not a valid date');
    return new Date(ms);
  };
}

/** --jobs: a whole number of threads, 1 to 256. */
export function jobsOption(value: string): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 256) throw new InvalidArgumentError('expected a whole number of jobs from 1 to 256');
  return n;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * `--as-of`: an ISO 8601 date or time, or a number of days from now ("+30d", "-7d"): what the
 * inventory looks like on the day of an audit.
 */
export function asOfOption(now: () => Date) {
  const absolute = timeOption(now);
  return (value: string): Date => {
    const rel = /^([+-])(\d+)d$/.exec(value.trim());
    if (rel) return new Date(now().getTime() + (rel[1] === '-' ? -1 : 1) * Number(rel[2]) * 86_400_000);
    if (/^\d+[hd]$/.test(value.trim())) throw new InvalidArgumentError('give a date, or days from now with a sign: +30d (ahead) or -7d (back)');
    return absolute(value);
  };
}

/** An http(s) URL with no path, as the SDK's endpoint setting wants it. */
export function endpointOption(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected a URL such as http://127.0.0.1:5000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('expected an http:// or https:// URL');
  return value.replace(/\/+$/, '');
}

/** `scan --accounts`: comma-separated 12-digit member account ids, or "organization" (every active account of it). */
export function accountsOption(value: string): MemberAccounts {
  if (value.trim().toLowerCase() === 'organization') return { organization: true };
  const accounts = [
    ...new Set(
      value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    ),
  ];
  const bad = accounts.find((a) => !ACCOUNT_ID.test(a));
  if (bad !== undefined || !accounts.length) {
    throw new InvalidArgumentError(`${bad === undefined ? 'no account id' : `"${bad}" is not a 12-digit account id`}: expected ids like 111122223333,444455556666, or organization`);
  }
  return { accounts };
}

/** An IAM role name (what CreateRole accepts), in which "{region}" stands for the region scanned. */
export function roleNameOption(value: string): string {
  if (!isScanRoleName(value)) {
    throw new InvalidArgumentError('expected an IAM role name (1 to 64 of letters, digits and +=,.@_-; {region} for the region)');
  }
  return value;
}

/** `scan --regions`: comma-separated region names. */
export function regionsOption(value: string): string[] {
  const regions = [
    ...new Set(
      value
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const bad = regions.find((r) => !REGION_NAME.test(r));
  if (bad !== undefined || !regions.length) throw new InvalidArgumentError(`${bad === undefined ? 'no region' : `"${bad}" is not a region name`}: expected names like eu-west-1,us-east-1`);
  return regions;
}

/** A Serverless stage name, as it appears in the member stacks' role names. */
export function stageOption(value: string): string {
  if (!/^[a-zA-Z0-9-]{1,32}$/.test(value)) throw new InvalidArgumentError('expected a stage name (letters, digits and -)');
  return value;
}
