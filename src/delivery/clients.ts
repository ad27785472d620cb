import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import type { DeliveryClients } from './deliver';
import { lazySecurityHubClient } from './securityHub';

/**
 * Region and credentials come from the default chain; no endpoint is hard-coded, so the SDK's
 * own AWS_ENDPOINT_URL points every client at moto_server in tests. Adaptive retry: the SDK backs
 * off on throttling instead of failing the invocation.
 */
export function createDeliveryClients(options: { region?: string; endpoint?: string; profile?: string; securityHub?: boolean } = {}): DeliveryClients {
  const common = { region: options.region, endpoint: options.endpoint, profile: options.profile, retryMode: 'adaptive', maxAttempts: 4 } as const;
  return {
    cloudWatch: new CloudWatchClient(common),
    sns: new SNSClient(common),
    eventBridge: new EventBridgeClient(common),
    // Only where it is turned on (its role may call it only then), and made at its first use.
    ...(options.securityHub ? { securityHub: lazySecurityHubClient(common) } : {}),
  };
}
