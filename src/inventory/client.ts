import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import { RateLimiter, systemClock, type Clock } from './rateLimiter';

/** The only two APIs the scan calls. */
export type InventoryApi = 'ListSecrets' | 'ListSecretVersionIds';

/**
 * Calls per second, below the account's Secrets Manager quotas (ListSecrets 100/s; 50/s for the
 * lower-quota APIs, which ListSecretVersionIds is treated as) so that other callers in the account
 * keep headroom; the SDK's adaptive retry still backs off if the account is throttled anyway.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<InventoryApi, number>> = { ListSecrets: 80, ListSecretVersionIds: 40 };

export type CallCounts = Record<InventoryApi, number>;

/** The rate limits the settings give (scanListSecretsPerSecond, scanLookupsPerSecond). */
export function rateLimitsOf(config: { scanListSecretsPerSecond: number; scanLookupsPerSecond: number }): Record<InventoryApi, number> {
  return { ListSecrets: config.scanListSecretsPerSecond, ListSecretVersionIds: config.scanLookupsPerSecond };
}

export interface InventoryClientOptions {
  region?: string;
  endpoint?: string;
  profile?: string;
  rateLimits?: Partial<Record<InventoryApi, number>>;
  clock?: Clock;
  /** Only for tests and benchmarks: a request handler that answers without a network, and its credentials. */
  requestHandler?: SecretsManagerClientConfig['requestHandler'];
  credentials?: SecretsManagerClientConfig['credentials'];
}

export interface InventoryClient {
  client: SecretsManagerClient;
  /** Requests sent per API, retries included: what the account's quotas count. */
  calls: CallCounts;
  /** Calls a second each API is held to. */
  limits: Readonly<Record<InventoryApi, number>>;
}

/**
 * A Secrets Manager client for the scan: region, credentials and endpoint from the default chain
 * (AWS_ENDPOINT_URL in tests) unless given; adaptive retry; and a rate limiter per API that every
 * request, each retry included, passes through before it is sent.
 */
export function createInventoryClient(options: InventoryClientOptions = {}): InventoryClient {
  const client = new SecretsManagerClient({
    region: options.region,
    endpoint: options.endpoint,
    profile: options.profile,
    retryMode: 'adaptive',
    maxAttempts: 6,
    // A hung connection fails the attempt (then retried) instead of holding the scan until Lambda's timeout.
    requestHandler: options.requestHandler ?? AWS_CLIENT_OPTIONS.requestHandler,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const limits = { ...DEFAULT_RATE_LIMITS, ...options.rateLimits };
  const limiters = new Map<string, RateLimiter>((Object.keys(limits) as InventoryApi[]).map((api) => [api, new RateLimiter(limits[api], options.clock ?? systemClock)]));
  const calls: CallCounts = { ListSecrets: 0, ListSecretVersionIds: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const api = String(context.commandName ?? '').replace(/Command$/, '');
      await limiters.get(api)?.take();
      if (api in calls) calls[api as InventoryApi]++;
      return next(args);
    },
    // After the retry middleware (finalizeRequest, high priority): every attempt waits for its slot.
    { step: 'finalizeRequest', priority: 'low', name: 'secretwatchRateLimit' },
  );
  return { client, calls, limits };
}
