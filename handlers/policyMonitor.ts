import { policyMonitor } from '../src/monitors/policyMonitor';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';

// Importing the one declaration, not the list of monitors, keeps the others' follow-ups out of this bundle.
export const handler = createLambdaHandler(policyMonitor, process.env);
