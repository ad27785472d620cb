import { createLambdaHandler } from '../src/runtime/lambdaHandler';

// Every event monitor runs this handler; the deployment names the monitor in MONITOR_NAME.
export const handler = createLambdaHandler(process.env);
