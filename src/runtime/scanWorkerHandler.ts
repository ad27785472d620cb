import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ConfigError, configFromEnv } from '../config/config';
import { handleScanUnits } from './fanOut/worker';
import { fanOutStoreFromEnv } from './fanOut/fromEnv';
import { centralScanDepsFromEnv } from './centralScanFromEnv';

/** Kept back from the worker's timeout for storing its unit's result. */
export const STORE_RESERVE_MS = 60_000;

/**
 * The scanWorker Lambda handler (mode central): one unit of a fanned-out central scan per SQS
 * message, from the scan workers' queue or, after its last attempt, from its dead-letter queue
 * (SCAN_DEAD_LETTER_QUEUE_ARN). Configuration is read and validated at cold start.
 */
export function createScanWorkerHandler(env: Record<string, string | undefined>) {
  const config = configFromEnv(env);
  const central = centralScanDepsFromEnv(env, config);
  if (!central) throw new ConfigError('SCAN_ACCOUNTS', 'the scan worker needs SCAN_ACCOUNTS, SCAN_ORGANIZATION or SCAN_REGIONS (set by the stack in mode central)');
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { monitor: 'scanWorker' } });
  const deps = { config, central, log, ...fanOutStoreFromEnv(env), deadLetterQueueArn: (env.SCAN_DEAD_LETTER_QUEUE_ARN ?? '').trim() || null };
  return async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
    if (context) log.addContext(context);
    return handleScanUnits(event, {
      ...deps,
      lookupDeadlineMs: () => (context ? Date.now() + context.getRemainingTimeInMillis() - STORE_RESERVE_MS : Infinity),
    });
  };
}
