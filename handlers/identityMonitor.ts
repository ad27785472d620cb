import { identityMonitor } from '../src/monitors/identityMonitor';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';

export const handler = createLambdaHandler(identityMonitor, process.env);
