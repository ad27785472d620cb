/**
 * The hostile corpus through the Lambda path (handleMonitorEvent, delivery mocked), as EventBridge
 * would deliver each record to each event monitor: every one ends in a defined outcome (invalid:
 * logged, counted, not retried; ignored; processed), never an unexpected error, and what goes out
 * on SNS (subject, email text, Chatbot's JSON) is safe to read.
 */
import 'aws-sdk-client-mock-jest';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DEFAULT_CONFIG } from '../../src/config/config';
import type { Log } from '../../src/delivery/log';
import { deletionMonitor, policyMonitor, rotationMonitor } from '../../src/monitors';
import { handleMonitorEvent } from '../../src/runtime/eventHandler';
import { hostileCases, UNSAFE_FOR_READERS } from '../fixtures/hostile/corpus';
import { mockDeliveryClients } from '../helpers/deliveryMocks';

const { sns, clients, succeedAll } = mockDeliveryClients();
const silent: Log = { debug() {}, info() {}, warn() {}, error() {} };
const config = { ...DEFAULT_CONFIG, alertTopicArn: 'arn:aws:sns:us-east-1:123837392027:alerts', findingsBusName: 'findings' };

/** What EventBridge hands the function: the record as the envelope's detail (or the envelope as published). */
function delivered(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !('detail-type' in value)) {
    return {
      version: '0',
      id: 'e',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.secretsmanager',
      account: '123837392027',
      region: 'us-east-1',
      time: '2024-01-01T00:00:00Z',
      resources: [],
      detail: value,
    };
  }
  return value;
}

const cases = hostileCases()
  .map((c, i) => [i, c.name, delivered(c.text)] as const)
  .filter(([, , event]) => event !== null);

beforeEach(() => succeedAll());

describe.each(cases)('#%i %s', (_i, _name, event) => {
  test.each([deletionMonitor, policyMonitor, rotationMonitor].map((m) => [m.name, m] as const))('%s: a defined outcome, and a safe notification', async (_monitor, monitor) => {
    const result = await handleMonitorEvent(event, monitor, { config, clients, log: silent, now: () => new Date('2024-06-01T00:00:00Z') });
    expect(['invalid', 'ignored', 'processed']).toContain(result.status);
    for (const call of sns.commandCalls(PublishCommand)) {
      const input = call.args[0].input;
      expect(input.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
      const message = JSON.parse(input.Message as string) as { email: string; https: string };
      expect(UNSAFE_FOR_READERS.exec(message.email)).toBeNull();
      expect(() => JSON.parse(message.https)).not.toThrow();
    }
  });
});
