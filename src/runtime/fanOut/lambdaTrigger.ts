import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { AssemblyTrigger } from './store';

/**
 * Starts the assembling step: the scan function invoked asynchronously with {"assembleScan": run},
 * so that it runs with its own timeout, retries and failure destination, not inside a worker's.
 */
export function lambdaAssemblyTrigger(client: LambdaClient, functionName: string): AssemblyTrigger {
  return async (run: string) => {
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ assembleScan: run })) }));
    if (out.StatusCode !== 202) throw new Error(`the assembling invocation of ${functionName} was not accepted (status ${out.StatusCode})`);
  };
}
