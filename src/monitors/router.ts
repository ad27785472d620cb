import { runEventChecks, type CheckContext } from '../checks/types';
import type { ParsedEvent } from '../events/record';
import type { Finding } from '../findings/finding';
import { compilePattern, type CompiledPattern } from '../patterns';
import { eventMonitors, type EventMonitor } from './index';

interface CompiledMonitor {
  monitor: EventMonitor;
  patterns: CompiledPattern[];
}

/**
 * Does offline what EventBridge does in the account: runs an event past every rule and hands it
 * to the checks of each function whose rule matched (once per function, however many of its rules
 * matched).
 */
export class EventRouter {
  private readonly compiled: CompiledMonitor[];

  constructor(monitors: readonly EventMonitor[] = eventMonitors) {
    this.compiled = monitors.map((monitor) => ({ monitor, patterns: monitor.rules.map((r) => compilePattern(r.pattern)) }));
  }

  /** The functions the event would be delivered to. */
  route(event: ParsedEvent): EventMonitor[] {
    return this.compiled.filter((c) => c.patterns.some((p) => p.matches(event.envelope))).map((c) => c.monitor);
  }

  evaluate(event: ParsedEvent, ctx: CheckContext): { matched: boolean; findings: Finding[] } {
    const monitors = this.route(event);
    const findings = monitors.flatMap((m) => runEventChecks(m.checks, event.record, ctx));
    return { matched: monitors.length > 0, findings };
  }
}
