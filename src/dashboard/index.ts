import { alarmResources } from './alarms';
import { dashboardBody, dashboardBodyText } from './body';
import { stackResources, StackShapeError, type Template, type TemplateResource } from './stack';

export { alarmResources, heartbeatWindow } from './alarms';
export { dashboardBody, dashboardBodyText, latestFindingsQuery, ACCOUNT_TOKEN, PARTITION_TOKEN } from './body';
export { stackResources, StackShapeError, SCAN_FUNCTION } from './stack';
export type { StackResources, Template, TemplateResource } from './stack';

export const DASHBOARD_LOGICAL_ID = 'Dashboard';

export interface ObservabilityOptions {
  stage: string;
  region: string;
  /** The encrypted topic every alarm notifies. */
  opsTopicLogicalId: string;
}

/**
 * What serverless/observability.js adds to the compiled template: the alarms it lacks and the
 * dashboard, both built over the template as it stands (every function, queue and rule in it).
 */
export function observabilityResources(template: Template, options: ObservabilityOptions): Record<string, TemplateResource> {
  if (!template.Resources[options.opsTopicLogicalId]) throw new StackShapeError(`the ops topic ${options.opsTopicLogicalId} is not in the template`);
  const stack = stackResources(template, options);
  const alarms = alarmResources(stack, options.opsTopicLogicalId);
  const alarmNames = [...stack.alarms.map((a) => template.Resources[a.logicalId].Properties?.AlarmName), ...Object.values(alarms).map((a) => a.Properties?.AlarmName)]
    .filter((n): n is string => typeof n === 'string')
    .sort();
  return {
    ...alarms,
    [DASHBOARD_LOGICAL_ID]: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: { DashboardName: `secretwatch-${options.stage}`, DashboardBody: dashboardBodyText(dashboardBody(stack, alarmNames)) },
    },
  };
}
