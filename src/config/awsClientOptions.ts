/**
 * Options every AWS SDK client of the functions shares. Region and credentials come from the
 * default chain and no endpoint is hard-coded, so the SDK's own AWS_ENDPOINT_URL points every
 * client at moto_server in tests.
 *
 * Without timeouts a client waits on a connection that was accepted and never answered until
 * Lambda kills the invocation, and the retry that follows re-sends what had already gone out. An
 * attempt here gives up after CONNECTION_TIMEOUT_MS to connect or REQUEST_TIMEOUT_MS of silence;
 * three attempts with the SDK's back-off keep one hung call under ten seconds, a third of the
 * functions' 30-second timeout. Adaptive retry still backs off on throttling instead of failing.
 */
export const CONNECTION_TIMEOUT_MS = 1_000;
export const REQUEST_TIMEOUT_MS = 2_500;
export const MAX_ATTEMPTS = 3;

export const AWS_CLIENT_OPTIONS = {
  retryMode: 'adaptive',
  maxAttempts: MAX_ATTEMPTS,
  requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
} as const;
