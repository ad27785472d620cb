import { fieldLayout, indexEvent, type FieldLayout } from './flatten';
import { matchesSubRule, type Step } from './match';
import { parsePattern } from './parse';
import { compileField } from './values';

export interface CompiledPattern {
  /** Whether EventBridge would deliver `event` to a rule with this pattern. Never throws. */
  matches(event: unknown): boolean;
}

class Compiled implements CompiledPattern {
  constructor(
    private readonly layout: FieldLayout,
    private readonly subRules: ReadonlyArray<readonly Step[]>,
  ) {}

  matches(event: unknown): boolean {
    const index = indexEvent(event, this.layout);
    if (index === null) return false;
    for (const steps of this.subRules) if (matchesSubRule(steps, index)) return true;
    return false;
  }
}

/**
 * Validates `pattern` (throwing InvalidPatternError with EventBridge's reason) and prepares it
 * for matching many events: regexes, sets and field lookups are built here, once.
 */
export function compilePattern(pattern: unknown): CompiledPattern {
  const subRules = parsePattern(pattern);
  const layout = fieldLayout(subRules.flatMap((rule) => [...rule.keys()]));
  const compiled = subRules.map((rule) =>
    // Sorted as Java sorts strings (by UTF-16 unit), which is what JS sort does; the order
    // decides what `exists: false` sees (see matchesSubRule).
    [...rule.keys()].sort().map((name): Step => ({ fieldId: layout.ids.get(name) as number, ...compileField(rule.get(name) ?? []) })),
  );
  return new Compiled(layout, compiled);
}

/** One-off convenience; compile once with compilePattern to match many events. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern).matches(event);
}
