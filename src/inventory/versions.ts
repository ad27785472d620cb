import { ListSecretVersionIdsCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { forEachLimit } from './pool';
import type { CurrentVersion, InventorySecret } from '../resources/secret';

export interface VersionLookupOptions {
  /** Look-ups in flight at once; the rate limiter, not this, sets the pace. */
  concurrency?: number;
  /** Epoch ms after which no new look-up starts (a Lambda's remaining time). */
  deadlineMs?: number;
  /** After this many failures in a row the rest are not attempted: the cause is not per secret. */
  maxConsecutiveFailures?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => number;
}

function errorName(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    return `${typeof e.name === 'string' ? e.name : 'Error'}${status ? ` (HTTP ${status})` : ''}`;
  }
  return String(error);
}

/** The AWSCURRENT version's CreatedDate, paging only when a secret has over 100 labelled versions. */
async function currentVersionOf(client: SecretsManagerClient, arn: string): Promise<CurrentVersion> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListSecretVersionIdsCommand({ SecretId: arn, MaxResults: 100, IncludeDeprecated: false, NextToken: token }));
    const current = page.Versions?.find((v) => v.VersionStages?.includes('AWSCURRENT'));
    if (current) {
      const createdMs = current.CreatedDate?.getTime();
      return createdMs === undefined || Number.isNaN(createdMs) ? { error: 'AWSCURRENT version has no CreatedDate' } : { createdMs };
    }
    token = page.NextToken || undefined;
  } while (token);
  return { createdMs: null };
}

/**
 * One ListSecretVersionIds call per secret, asked only for secrets that look overdue (the only ones
 * whose verdict a manual PutSecretValue rotation can change).
 * A failed look-up is recorded for that secret and the scan goes on; after a run of failures, or
 * past the deadline, the remaining secrets are marked as not looked up, with the reason.
 */
export async function lookUpCurrentVersions(client: SecretsManagerClient, secrets: readonly InventorySecret[], options: VersionLookupOptions = {}): Promise<Map<string, CurrentVersion>> {
  const { concurrency = 8, deadlineMs = Infinity, maxConsecutiveFailures = 25, onProgress, now = Date.now } = options;
  const results = new Map<string, CurrentVersion>();
  let consecutiveFailures = 0;
  let lastError = '';
  let stopped: string | null = null;
  let done = 0;
  await forEachLimit(secrets, concurrency, async (secret) => {
    if (!stopped && now() > deadlineMs) stopped = 'not looked up: the scan ran out of time';
    if (!stopped && consecutiveFailures >= maxConsecutiveFailures) {
      stopped = `not looked up: ${consecutiveFailures} look-ups failed in a row (last: ${lastError})`;
    }
    if (stopped) {
      results.set(secret.arn, { error: stopped, skipped: true });
    } else {
      try {
        results.set(secret.arn, await currentVersionOf(client, secret.arn));
        consecutiveFailures = 0;
      } catch (error) {
        lastError = errorName(error);
        consecutiveFailures++;
        results.set(secret.arn, { error: `look-up failed: ${lastError}` });
      }
    }
    onProgress?.(++done, secrets.length);
  });
  return results;
}
