import { eventChecksRunBy } from '../checks';
import { runEachEventCheck, type CheckContext, type CheckFailure, type EventCheck } from '../checks/check';
import type { ParsedEvent } from '../events/record';
import type { Finding } from '../findings/finding';
import { compilePattern, type CompiledPattern } from '../patterns';
import type { MonitorDeclaration } from './monitor';
import { rulesOf } from './rules';

interface RoutedMonitor {
  monitor: MonitorDeclaration;
  patterns: CompiledPattern[];
  checks: EventCheck[];
}

/**
 * Does what EventBridge does in the account, for Lambda and the CLI alike: runs an event past every
 * rule of the given monitors and hands it to the checks of each monitor whose rule matched (once
 * per monitor, however many of its rules matched).
 */
export class EventRouter {
  private readonly routed: RoutedMonitor[];

  constructor(monitors: readonly MonitorDeclaration[]) {
    this.routed = monitors
      .map((monitor) => ({ monitor, patterns: rulesOf(monitor).map((r) => compilePattern(r.pattern)), checks: eventChecksRunBy(monitor.name) }))
      .filter((r) => r.patterns.length > 0);
  }

  /** The monitors the event would be delivered to. */
  route(event: ParsedEvent): MonitorDeclaration[] {
    return this.matching(event).map((r) => r.monitor);
  }

  private matching(event: ParsedEvent): RoutedMonitor[] {
    return this.routed.filter((r) => r.patterns.some((p) => p.matches(event.envelope)));
  }

  /** The findings of every matched monitor's checks, and the checks that threw (their monitors' other checks still ran). */
  evaluate(event: ParsedEvent, ctx: CheckContext): { matched: MonitorDeclaration[]; findings: Finding[]; failures: CheckFailure[] } {
    const matched = this.matching(event);
    const runs = matched.map((r) => runEachEventCheck(r.checks, event.record, ctx));
    return { matched: matched.map((r) => r.monitor), findings: runs.flatMap((r) => r.findings), failures: runs.flatMap((r) => r.failures) };
  }
}
