import type { MonitorDeclaration } from './monitor';

export const rotationMonitor: MonitorDeclaration = {
  name: 'rotationMonitor',
  description: 'SecretWatch rotation checks (RotationFailed, RotationAbandoned, RotateSecret, CancelRotateSecret)',
  handler: 'handlers/rotationMonitor.handler',
};
