import { monitors } from '../src/monitors';
import { eventRules } from '../src/monitors/rules';

/** rules/<name>.json for every event rule of every monitor (whatever regions it is deployed in). */
export interface RuleFile {
  path: string;
  text: string;
}

/** How wide a line may get before an array breaks over several lines. */
const WIDTH = 100;

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
    return entries.length ? `{ ${entries.join(', ')} }` : '{}';
  }
  return JSON.stringify(value);
}

/** Objects one key a line; arrays on one line while they fit, as the patterns were written by hand. */
function format(value: unknown, indent: string, prefixLength: number): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const text = inline(value);
    if (prefixLength + text.length <= WIDTH || value.length === 0) return text;
    return `[\n${value.map((v) => `${inner}${format(v, inner, inner.length)}`).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (!entries.length) return '{}';
    return `{\n${entries
      .map(([k, v]) => {
        const key = `${inner}${JSON.stringify(k)}: `;
        return `${key}${format(v, inner, key.length)}`;
      })
      .join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

export function ruleFileText(pattern: Record<string, unknown>): string {
  return `${format(pattern, '', 0)}\n`;
}

export function ruleFiles(): RuleFile[] {
  return eventRules(monitors).map((rule) => ({ path: `rules/${rule.name}.json`, text: ruleFileText(rule.pattern) }));
}
