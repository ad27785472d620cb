import secretAccessAfterDeletion from '../../rules/secret-access-after-deletion.json';
import secretDeletion from '../../rules/secret-deletion.json';
import secretPolicyChange from '../../rules/secret-policy-change.json';
import secretRotation from '../../rules/secret-rotation.json';
import { deletionChecks } from '../checks/deletion';
import { policyChecks } from '../checks/policy';
import { rotationChecks } from '../checks/rotation';
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

export const rotationMonitor: EventMonitor = {
  functionName: 'rotationMonitor',
  // RotationFailed and RotationAbandoned are service events; RotateSecret and CancelRotateSecret are
  // write calls: both reach a rule in the ENABLED state.
  rules: [{ name: 'secret-rotation', pattern: secretRotation, allManagementEvents: false }],
  checks: rotationChecks,
};

export const policyMonitor: EventMonitor = {
  functionName: 'policyMonitor',
  // Write calls, successful or not (a refused attempt is a finding too): the ENABLED state suffices.
  rules: [{ name: 'secret-policy-change', pattern: secretPolicyChange, allManagementEvents: false }],
  checks: policyChecks,
};

export const eventMonitors: readonly EventMonitor[] = [deletionMonitor, rotationMonitor, policyMonitor];

/** A function run by an EventBridge schedule instead of by events; its rule is a raw AWS::Events::Rule. */
export interface ScheduledFunction {
  functionName: string;
  ruleName: string;
  /** The deploy parameter (and setting) that sets the schedule. */
  intervalSetting: 'scanIntervalHours';
}

export const inventoryScan: ScheduledFunction = { functionName: 'inventoryScan', ruleName: 'inventory-scan', intervalSetting: 'scanIntervalHours' };

export const scheduledFunctions: readonly ScheduledFunction[] = [inventoryScan];
