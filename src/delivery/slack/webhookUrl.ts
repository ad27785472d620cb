import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * The Slack incoming-webhook URL, read from the secret named by slackWebhookSecretArn. This is the
 * only GetSecretValue the project makes (its IAM statement names that one secret). The URL is a
 * credential: no error or log line built here contains it or any part of the secret's value.
 */

export class WebhookSecretError extends Error {
  override readonly name = 'WebhookSecretError';
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Keys a JSON secret may hold the URL under (the console's key/value editor makes JSON). */
const URL_KEYS = ['url', 'webhookUrl', 'webhook_url', 'slackWebhookUrl'];

/**
 * Accepts the URL itself, or a JSON object holding it under one of URL_KEYS. Plain http is
 * accepted only to a loopback host (a local proxy, the tests): anywhere else the URL would cross
 * the network in clear text.
 */
export function parseWebhookSecret(secretString: string): URL {
  let candidate = secretString.trim();
  if (candidate.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(candidate);
    } catch {
      throw new WebhookSecretError('the webhook secret looks like JSON but does not parse');
    }
    const key = URL_KEYS.find((k) => typeof (parsed as Record<string, unknown>)?.[k] === 'string');
    if (!key) throw new WebhookSecretError(`the webhook secret is JSON without a string under any of ${URL_KEYS.join(', ')}`);
    candidate = String((parsed as Record<string, unknown>)[key]).trim();
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new WebhookSecretError('the webhook secret does not hold a URL');
  }
  if (url.username || url.password) throw new WebhookSecretError('the webhook URL must not carry user credentials');
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url;
  throw new WebhookSecretError(`the webhook URL must use https (it uses ${url.protocol.replace(/[^a-z]/g, '') || 'no scheme'})`);
}

export async function readWebhookUrl(client: SecretsManagerClient, secretArn: string): Promise<URL> {
  let out;
  try {
    out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  } catch (error) {
    // The SDK's message names the secret (its ARN is configuration, not a credential), never its value.
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    throw new WebhookSecretError(`could not read the webhook secret ${secretArn}: ${name}: ${message}`);
  }
  if (typeof out.SecretString !== 'string') throw new WebhookSecretError(`the webhook secret ${secretArn} has no string value (binary secrets are not supported)`);
  return parseWebhookSecret(out.SecretString);
}

export interface WebhookUrlSource {
  get(): Promise<URL>;
  /** Forget the URL: Slack said the webhook is gone, so the secret may hold a new one by now. */
  invalidate(): void;
}

/**
 * Reads the URL once per container. A failed read is not cached: the next invocation tries again
 * (a secret created after the stack, a permission fixed). A good one is kept until Slack refuses
 * the webhook as gone, so that a rotated URL is picked up without waiting for a cold start.
 */
export function cachedWebhookUrl(read: () => Promise<URL>): WebhookUrlSource {
  let pending: Promise<URL> | undefined;
  return {
    get() {
      pending ??= read().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    invalidate() {
      pending = undefined;
    },
  };
}
