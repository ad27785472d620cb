import 'aws-sdk-client-mock-jest';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { ListSecretsCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Account, allowRead, doc, OTHER, trustAccount } from '../access/accountFixture';
import * as inventoryClient from '../../src/inventory/client';
import { createInventoryScanHandler, DELIVERY_RESERVE_MS } from '../../src/runtime/scanLambdaHandler';

const sm = mockClient(SecretsManagerClient);
const cw = mockClient(CloudWatchClient);
const sns = mockClient(SNSClient);
const eb = mockClient(EventBridgeClient);
const iam = mockClient(IAMClient);
const DAY = 86_400_000;
const ENV = { ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts', FINDINGS_BUS_NAME: 'findings', LOG_LEVEL: 'SILENT', AWS_REGION: 'eu-west-1' };

function context(remainingMs: number): Context {
  return { getRemainingTimeInMillis: () => remainingMs, functionName: 'secretwatch-dev-inventoryScan', awsRequestId: 'r-1' } as unknown as Context;
}

beforeEach(() => {
  for (const m of [sm, cw, sns, eb, iam]) m.reset();
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ IsTruncated: false });
  // One secret created 200 days ago whose value was put 5 days ago: it looks overdue.
  sm.on(ListSecretsCommand).resolves({
    SecretList: [
      {
        ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ci/token-AbCdEf',
        Name: 'ci/token',
        CreatedDate: new Date(Date.now() - 200 * DAY),
        LastChangedDate: new Date(Date.now() - 5 * DAY),
        LastAccessedDate: new Date(Date.now() - DAY),
      },
    ],
  });
  sm.on(ListSecretVersionIdsCommand).resolves({ Versions: [{ VersionId: 'v', VersionStages: ['AWSCURRENT'], CreatedDate: new Date(Date.now() - 5 * DAY) }] });
  cw.on(PutMetricDataCommand).resolves({});
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  eb.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
});

test('the settings are read and validated at cold start, naming the variable', () => {
  expect(() => createInventoryScanHandler({})).toThrow('invalid setting ALERT_TOPIC_ARN');
  expect(() => createInventoryScanHandler({ ...ENV, FULL_DIGEST_WEEKDAY: 'Funday' })).toThrow('invalid setting FULL_DIGEST_WEEKDAY');
  expect(() => createInventoryScanHandler({ ...ENV, SCAN_INTERVAL_HOURS: '0' })).toThrow('invalid setting SCAN_INTERVAL_HOURS');
});

test('with time to spare, the overdue-looking secret is looked up and judged by its current version', async () => {
  const handler = createInventoryScanHandler(ENV);
  const result = await handler({}, context(14 * 60_000));
  expect(sm).toHaveReceivedCommandTimes(ListSecretVersionIdsCommand, 1);
  // Rotation off, but the value is 5 days old: not overdue.
  expect(result).toMatchObject({ status: 'completed', findings: 1 });
});

test("the account's IAM is read once per scan, and a role another account may assume that reads the secret is a finding", async () => {
  const account = new Account().role('vendor', { trust: doc(trustAccount(OTHER)), inline: { read: doc(allowRead({ Resource: '*' })) } });
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: account.roles as never, IsTruncated: false });
  const result = await createInventoryScanHandler(ENV)({}, context(14 * 60_000));
  expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 1);
  expect(result).toMatchObject({ status: 'completed', findings: 2 });
  const onBus = eb.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
  expect(onBus.map((e) => JSON.parse(e.Detail ?? '{}').check)).toContain('secrets-readable-from-other-account');
});

test(`look-ups stop ${DELIVERY_RESERVE_MS / 1000} s before the timeout, so that the scan is still delivered`, async () => {
  const handler = createInventoryScanHandler(ENV);
  const result = await handler({}, context(DELIVERY_RESERVE_MS - 1_000));
  expect(sm).toHaveReceivedCommandTimes(ListSecretVersionIdsCommand, 0);
  // Judged by its creation: overdue (HIGH, 200 days) as well as without rotation.
  expect(result).toMatchObject({ status: 'completed', findings: 2, delivery: { putOnBus: 2 } });
  expect(cw).toHaveReceivedCommandTimes(PutMetricDataCommand, 1);
});

test("the scan's rate limits come from the settings (SCAN_LIST_SECRETS_PER_SECOND, SCAN_LOOKUPS_PER_SECOND)", async () => {
  const created = jest.spyOn(inventoryClient, 'createInventoryClient');
  try {
    await createInventoryScanHandler({ ...ENV, SCAN_LIST_SECRETS_PER_SECOND: '20', SCAN_LOOKUPS_PER_SECOND: '5' })({}, context(14 * 60_000));
    expect(created.mock.results.map((r) => (r.value as inventoryClient.InventoryClient).limits)).toEqual([{ ListSecrets: 20, ListSecretVersionIds: 5 }]);
    created.mockClear();
    await createInventoryScanHandler(ENV)({}, context(14 * 60_000));
    expect(created.mock.results.map((r) => (r.value as inventoryClient.InventoryClient).limits)).toEqual([inventoryClient.DEFAULT_RATE_LIMITS]);
  } finally {
    created.mockRestore();
  }
  expect(() => createInventoryScanHandler({ ...ENV, SCAN_LOOKUPS_PER_SECOND: '51' })).toThrow('invalid setting SCAN_LOOKUPS_PER_SECOND');
});
