import { deletionMonitor } from '../src/monitors';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';

export const handler = createLambdaHandler(deletionMonitor, process.env);
