import { policyMonitorFollowUps } from '../src/followups/policyMonitor';
import { policyMonitor } from '../src/monitors';
import { createLambdaHandler } from '../src/runtime/lambdaHandler';

export const handler = createLambdaHandler(policyMonitor, process.env, policyMonitorFollowUps);
