import { AWS_CLIENT_OPTIONS } from '../../config/awsClientOptions';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../../config/config';
import type { CentralScanDeps } from '../centralScan';
import type { FanOutDeps } from './coordinator';
import { DynamoScanRunStore } from './dynamoStore';
import { lambdaAssemblyTrigger } from './lambdaTrigger';
import { sqsUnitQueue } from './sqsQueue';

type Env = Record<string, string | undefined>;

function required(env: Env, name: string, what: string): string {
  const value = (env[name] ?? '').trim();
  if (!value) throw new ConfigError(name, `required in mode central (${what}, set by the stack)`);
  return value;
}

/** The scan run table and the assembling function (set by serverless/organization.js), shared by the coordinator and the scan workers. */
export function fanOutStoreFromEnv(env: Env): Pick<FanOutDeps, 'store' | 'trigger'> {
  const table = required(env, 'SCAN_RUNS_TABLE', "the table of the scan units' results");
  const assembler = required(env, 'SCAN_ASSEMBLY_FUNCTION', 'the inventoryScan function, which assembles a run');
  return { store: new DynamoScanRunStore(new DynamoDBClient(AWS_CLIENT_OPTIONS), table), trigger: lambdaAssemblyTrigger(assembler) };
}

/** What the central stack's inventoryScan fans its scan out with: the store, the trigger and the scan workers' queue. */
export function fanOutFromEnv(env: Env, central: CentralScanDeps): FanOutDeps {
  return { ...fanOutStoreFromEnv(env), enqueue: sqsUnitQueue(new SQSClient(AWS_CLIENT_OPTIONS), required(env, 'SCAN_UNIT_QUEUE_URL', "the scan workers' queue")), central };
}
