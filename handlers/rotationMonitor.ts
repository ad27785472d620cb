import { rotationMonitor } from '../src/monitors';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';

export const handler = createLambdaHandler(rotationMonitor, process.env);
