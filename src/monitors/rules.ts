import { checksRunBy } from '../checks';
import { eventSourceOf, type CheckEvents } from '../checks/check';
import type { MonitorDeclaration } from './monitor';

/** One EventBridge rule, built from the event declarations of the checks that name it. */
export interface EventRule {
  /** secretwatch-<stage>-<name> */
  name: string;
  /** The function it targets. */
  monitor: string;
  description: string;
  pattern: Record<string, unknown>;
  /**
   * EventBridge drops read-only management events (Get*, Describe*) unless the rule opts in, which
   * only a raw AWS::Events::Rule can do.
   */
  allManagementEvents: boolean;
}

/** EventBridge allows 512 characters of rule description. */
const MAX_DESCRIPTION = 512;

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

/**
 * A rule's pattern from its declarations: one source, every detail-type they name, and under
 * `detail` the event names; declarations with conditions of their own (an errorMessage, a request
 * field) become `$or` branches so that one check's condition never narrows another's events.
 */
export function patternOf(name: string, declarations: readonly CheckEvents[]): Record<string, unknown> {
  const sources = unique(declarations.map((d) => d.source));
  if (sources.length !== 1) throw new Error(`rule ${name}: its checks name ${sources.length} sources (${sources.join(', ')}); a rule has one`);
  const detailTypes = unique(declarations.flatMap((d) => d.detailTypes));
  const byFilter = new Map<string, { declaration: CheckEvents; eventNames: string[] }>();
  for (const d of declarations) {
    const key = JSON.stringify(d.filter ?? null);
    const group = byFilter.get(key);
    if (group) group.eventNames.push(...d.eventNames.filter((e) => !group.eventNames.includes(e)));
    else byFilter.set(key, { declaration: d, eventNames: unique(d.eventNames) });
  }
  const eventSource = [eventSourceOf(sources[0])];
  const branches = [...byFilter.values()].map((g) => ({ eventName: g.eventNames, ...(g.declaration.filter ?? {}) }));
  const detail = branches.length === 1 ? { eventSource, ...branches[0] } : { eventSource, $or: branches };
  return { source: sources, 'detail-type': detailTypes, detail };
}

function descriptionOf(monitor: string, eventNames: readonly string[], readOnly: boolean): string {
  const text = `SecretWatch ${monitor}: ${eventNames.join(', ')}${readOnly ? ' (read-only calls, failing)' : ''}`;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** The event rules of one monitor, in the order its checks first name them. */
export function rulesOf(monitor: MonitorDeclaration): EventRule[] {
  const byRule = new Map<string, CheckEvents[]>();
  for (const check of checksRunBy(monitor.name)) {
    for (const declaration of check.events) {
      const list = byRule.get(declaration.rule) ?? [];
      list.push(declaration);
      byRule.set(declaration.rule, list);
    }
  }
  return [...byRule].map(([name, declarations]) => {
    const readOnly = unique(declarations.map((d) => d.readOnly === true));
    if (readOnly.length !== 1) throw new Error(`rule ${name}: some of its checks' events are read-only and some are not; a rule is one or the other`);
    return {
      name,
      monitor: monitor.name,
      description: descriptionOf(monitor.name, unique(declarations.flatMap((d) => d.eventNames)), readOnly[0]),
      pattern: patternOf(name, declarations),
      allManagementEvents: readOnly[0],
    };
  });
}

/** Every event rule of the given monitors; a rule name used by two monitors is an error. */
export function eventRules(monitors: readonly MonitorDeclaration[]): EventRule[] {
  const rules = monitors.flatMap(rulesOf);
  const seen = new Map<string, string>();
  for (const rule of rules) {
    const other = seen.get(rule.name);
    if (other) throw new Error(`rule ${rule.name} is named by checks of both ${other} and ${rule.monitor}`);
    seen.set(rule.name, rule.monitor);
  }
  return rules;
}
