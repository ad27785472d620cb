import { checksRunBy } from '../checks';
import type { Config } from '../config/config';
import { errorField, type Log } from '../delivery/log';
import type { CloudTrailRecord } from '../events/record';
import type { Finding } from '../findings/finding';
import type { FollowUpDeclaration, MonitorDeclaration } from '../monitors/monitor';

/**
 * A step between the checks and delivery that acts on a finding with I/O the checks may not do
 * (auto-remediation, a second opinion from another service). It says what it did in the finding
 * it returns; it reports its own failures there too rather than throwing.
 */
export interface FindingFollowUp {
  /** The details key it writes, e.g. "autoRemediation". */
  readonly name: string;
  applies(finding: Finding): boolean;
  run(finding: Finding, record: CloudTrailRecord): Promise<Finding>;
}

/** A finding with one more details key, the rest untouched (the finding's key order kept). */
export function withDetail(finding: Finding, key: string, value: unknown, remediation = finding.remediation): Finding {
  return { ...finding, details: { ...finding.details, [key]: value }, remediation };
}

/**
 * Runs every applicable follow-up on every finding, in order. A follow-up that throws (a defect:
 * they report their own failures) is logged and noted in the finding, which is still delivered:
 * an alert must not be lost to its enrichment.
 */
export async function applyFollowUps(findings: readonly Finding[], record: CloudTrailRecord, followUps: readonly FindingFollowUp[], log: Log): Promise<Finding[]> {
  const out: Finding[] = [];
  for (let finding of findings) {
    for (const step of followUps) {
      if (!step.applies(finding)) continue;
      try {
        finding = await step.run(finding, record);
      } catch (error) {
        const field = errorField(error);
        log.error('follow-up failed; the finding is delivered without it', { followUp: step.name, check: finding.check, eventId: finding.event?.id ?? null, error: field });
        finding = withDetail(finding, step.name, { status: 'error', reason: `${field.name}: ${field.message}` });
      }
    }
    out.push(finding);
  }
  return out;
}

/** A follow-up whose module (and the SDK client it brings) loads on its first run, not at every cold start. */
function loadedOnFirstRun(declaration: FollowUpDeclaration, config: Config, applies: (finding: Finding) => boolean): FindingFollowUp {
  let loading: Promise<FindingFollowUp> | undefined;
  return {
    name: declaration.name,
    applies,
    async run(finding, record) {
      loading ??= declaration.load(config, applies);
      return (await loading).run(finding, record);
    },
  };
}

/** The monitor's follow-ups whose setting is on, in declaration order, each on the checks with its label. */
export function followUpsOf(monitor: MonitorDeclaration, config: Config): FindingFollowUp[] {
  return (monitor.followUps ?? [])
    .filter((declaration) => config[declaration.enabledBy] === true)
    .map((declaration) => {
      const targets = new Set(
        checksRunBy(monitor.name)
          .filter((c) => c.labels?.includes(declaration.label))
          .map((c) => c.id),
      );
      return loadedOnFirstRun(declaration, config, (finding) => targets.has(finding.check));
    });
}
