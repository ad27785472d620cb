import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import { Logger } from '@aws-lambda-powertools/logger';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { ConfigError, configFromEnv, envName } from '../config/config';
import { notifySlack, type SlackNotifierResult } from '../delivery/slack/notifier';
import { cachedWebhookUrl, readWebhookUrl } from '../delivery/slack/webhookUrl';

/** Time kept back from the function's timeout to log and return after the last attempt. */
export const SAFETY_MARGIN_MS = 2_000;
/** Without a Lambda context (a local run), the budget of a 30-second function. */
const DEFAULT_BUDGET_MS = 30_000;

/**
 * Builds the slackNotifier handler. Settings are validated at cold start, naming the setting; the
 * webhook URL is read from its secret at the first message and kept for the container's life.
 */
export function createSlackHandler(env: Record<string, string | undefined>) {
  const config = configFromEnv(env);
  const secretArn = config.slackWebhookSecretArn;
  if (!secretArn) throw new ConfigError(envName('slackWebhookSecretArn'), 'required by the Slack notifier (the secret that holds the webhook URL)');
  const log = new Logger({ serviceName: 'secretwatch', logLevel: (env.LOG_LEVEL as 'INFO') ?? 'INFO', persistentKeys: { function: 'slackNotifier' } });
  const client = new SecretsManagerClient(AWS_CLIENT_OPTIONS);
  const webhook = cachedWebhookUrl(() => readWebhookUrl(client, secretArn));
  return async (event: unknown, context?: Context): Promise<SlackNotifierResult> => {
    if (context) log.addContext(context);
    const budget = context ? context.getRemainingTimeInMillis() : DEFAULT_BUDGET_MS;
    const result = await notifySlack(event, { webhook, minSeverity: config.slackMinSeverity, metricNamespace: config.metricNamespace, log, deadlineMs: Date.now() + budget - SAFETY_MARGIN_MS });
    log.info('event handled', { ...result });
    return result;
  };
}
