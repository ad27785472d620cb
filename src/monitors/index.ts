// Every Lambda function that runs checks, one line each.
import { deletionMonitor } from './deletionMonitor';
import { identityMonitor } from './identityMonitor';
import { inventoryScan } from './inventoryScan';
import { policyMonitor } from './policyMonitor';
import { rotationMonitor } from './rotationMonitor';
import { scanWorker } from './scanWorker';
import type { MonitorDeclaration } from './monitor';

export const monitors: readonly MonitorDeclaration[] = [deletionMonitor, rotationMonitor, inventoryScan, policyMonitor, identityMonitor, scanWorker];

export function monitorByName(name: string): MonitorDeclaration | undefined {
  return monitors.find((m) => m.name === name);
}

export { deletionMonitor, identityMonitor, inventoryScan, policyMonitor, rotationMonitor, scanWorker };
export type { MonitorDeclaration };
