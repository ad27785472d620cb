import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeliveryClients } from '../../src/delivery/deliver';

/**
 * The three delivery clients, mocked (aws-sdk-client-mock). `succeedAll()` resets them to an
 * account where every call works; a test then makes the one it cares about fail.
 */
export function mockDeliveryClients() {
  const cw = mockClient(CloudWatchClient);
  const sns = mockClient(SNSClient);
  const eb = mockClient(EventBridgeClient);
  const clients: DeliveryClients = { cloudWatch: new CloudWatchClient({}), sns: new SNSClient({}), eventBridge: new EventBridgeClient({}) };
  function succeedAll(): void {
    cw.reset();
    sns.reset();
    eb.reset();
    cw.on(PutMetricDataCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    eb.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ FailedEntryCount: 0, Entries: input.Entries.map(() => ({ EventId: 'x' })) }));
  }
  return { cw, sns, eb, clients, succeedAll };
}
