import secretAccessAfterDeletion from '../../rules/secret-access-after-deletion.json';
import secretDeletion from '../../rules/secret-deletion.json';
import { deletionChecks } from '../checks/deletion';
import type { EventCheck } from '../checks/types';

/** One EventBridge rule: its file under rules/ (the pattern, as data) and the function it targets. */
export interface RuleDefinition {
  name: string;
  pattern: Record<string, unknown>;
  /**
   * EventBridge drops read-only management events (Get*, Describe*) unless the rule opts in, which
   * only a raw AWS::Events::Rule can do.
   */
  allManagementEvents: boolean;
}

/** An event-mode Lambda function: which rules deliver to it and which checks it runs. */
export interface EventMonitor {
  functionName: string;
  rules: readonly RuleDefinition[];
  checks: readonly EventCheck[];
}

export const deletionMonitor: EventMonitor = {
  functionName: 'deletionMonitor',
  rules: [
    { name: 'secret-deletion', pattern: secretDeletion, allManagementEvents: false },
    { name: 'secret-access-after-deletion', pattern: secretAccessAfterDeletion, allManagementEvents: true },
  ],
  checks: deletionChecks,
};

export const eventMonitors: readonly EventMonitor[] = [deletionMonitor];
