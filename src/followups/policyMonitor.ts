import type { Config } from '../config/config';
import type { CloudTrailRecord } from '../events/record';
import type { Finding } from '../findings/finding';
import type { FindingFollowUp } from '../runtime/followUp';
import { isPolicyVerdict, isPublicPolicy } from './targets';

/**
 * A follow-up whose module (and the AWS SDK client it brings) is loaded on its first run: both
 * steps are off by default, and a function that never uses them should not pay for loading them
 * at every cold start (measured: about 25 ms).
 */
function loadedOnFirstRun(name: string, applies: (finding: Finding) => boolean, load: () => Promise<FindingFollowUp>): FindingFollowUp {
  let loading: Promise<FindingFollowUp> | undefined;
  return {
    name,
    applies,
    async run(finding: Finding, record: CloudTrailRecord) {
      loading ??= load();
      return (await loading).run(finding, record);
    },
  };
}

/**
 * policyMonitor's steps after its checks, each only when its setting is on (both are off by
 * default): the second opinion first, on the policy as the event shows it, then the remediation,
 * on the policy as it is now.
 */
export function policyMonitorFollowUps(config: Config): FindingFollowUp[] {
  const steps: FindingFollowUp[] = [];
  if (config.confirmWithAccessAnalyzer) {
    steps.push(loadedOnFirstRun('accessAnalyzer', isPolicyVerdict, async () => (await import('./accessAnalyzerFollowUp')).accessAnalyzerFollowUp()));
  }
  if (config.remediatePublicPolicy) {
    steps.push(loadedOnFirstRun('autoRemediation', isPublicPolicy, async () => (await import('./remediationFollowUp')).remediationFollowUp(config)));
  }
  return steps;
}
