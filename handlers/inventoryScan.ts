import { createInventoryScanHandler } from '../src/runtime/scanLambdaHandler';

export const handler = createInventoryScanHandler(process.env);
