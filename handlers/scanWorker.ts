import { createScanWorkerHandler } from '../src/runtime/scanWorkerHandler';

export const handler = createScanWorkerHandler(process.env);
