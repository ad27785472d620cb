import { fanOutFromEnv } from '../src/runtime/fanOut/fromEnv';
import { createInventoryScanHandler } from '../src/runtime/scanLambdaHandler';

// The inventoryScan function of a central stack that scans member accounts: it fans them out.
export const handler = createInventoryScanHandler(process.env, fanOutFromEnv);
