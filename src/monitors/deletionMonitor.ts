import type { MonitorDeclaration } from './monitor';

export const deletionMonitor: MonitorDeclaration = {
  name: 'deletionMonitor',
  description: 'SecretWatch deletion checks (DeleteSecret, RestoreSecret, access to secrets pending deletion)',
  handler: 'handlers/deletionMonitor.handler',
};
