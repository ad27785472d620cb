import { deletionMonitor } from '../src/monitors/deletionMonitor';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';

// Importing the one declaration, not the list of monitors, keeps the others' follow-ups out of this bundle.
export const handler = createLambdaHandler(deletionMonitor, process.env);
