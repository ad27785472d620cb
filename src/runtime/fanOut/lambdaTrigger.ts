import { AWS_CLIENT_OPTIONS } from '../../config/awsClientOptions';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AssemblyTrigger } from './store';

/**
 * Starts the assembling step: the scan function invoked asynchronously with {"assembleScan": run},
 * so that it runs with its own timeout, retries and failure destination, not inside a worker's.
 * Only the unit that completes a run calls it, once a scan: Lambda's client is loaded then (from
 * the runtime's SDK, not the bundle) rather than at every cold start of every worker.
 */
export function lambdaAssemblyTrigger(functionName: string, given?: LambdaClient): AssemblyTrigger {
  let client = given;
  return async (run: string) => {
    const { InvokeCommand, LambdaClient: Client } = await import('@aws-sdk/client-lambda');
    client ??= new Client(AWS_CLIENT_OPTIONS);
    const out = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ assembleScan: run })) }));
    if (out.StatusCode !== 202) throw new Error(`the assembling invocation of ${functionName} was not accepted (status ${out.StatusCode})`);
  };
}
