import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SNSClient } from '@aws-sdk/client-sns';
import { AWS_CLIENT_OPTIONS } from '../config/awsClientOptions';
import type { DeliveryClients } from './deliver';

/** The delivery clients, with the functions' timeouts and retries (awsClientOptions.ts); the CLI may name a region, endpoint or profile. */
export function createDeliveryClients(options: { region?: string; endpoint?: string; profile?: string } = {}): DeliveryClients {
  const common = { ...AWS_CLIENT_OPTIONS, region: options.region, endpoint: options.endpoint, profile: options.profile };
  return {
    cloudWatch: new CloudWatchClient(common),
    sns: new SNSClient(common),
    eventBridge: new EventBridgeClient(common),
  };
}
