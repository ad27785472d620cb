import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import type { DeliveryClients } from './deliver';
import { lazySecurityHubClient } from './securityHub';

/**
 * The delivery clients, with the functions' timeouts and retries (awsClientOptions.ts); the CLI may
 * name a region, endpoint or profile. No endpoint is hard-coded, so the SDK's own AWS_ENDPOINT_URL
 * points every client at moto_server in tests.
 */
export function createDeliveryClients(options: { region?: string; endpoint?: string; profile?: string; securityHub?: boolean } = {}): DeliveryClients {
  const common = { ...AWS_CLIENT_OPTIONS, region: options.region, endpoint: options.endpoint, profile: options.profile };
  return {
    cloudWatch: new CloudWatchClient(common),
    sns: new SNSClient(common),
    eventBridge: new EventBridgeClient(common),
    // Only where it is turned on (its role may call it only then), and made at its first use.
    ...(options.securityHub ? { securityHub: lazySecurityHubClient(common) } : {}),
  };
}
