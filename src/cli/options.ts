import { InvalidArgumentError } from 'commander';
import { OUTPUT_FORMATS, type OutputFormat } from '../findings/render';
import { parseSeverity, SEVERITIES, type Severity } from '../findings/severity';

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
    const ms = Date.parse(/Z|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
    if (Number.isNaN(ms)) throw new InvalidArgumentError('not a valid date');
    return new Date(ms);
  };
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
