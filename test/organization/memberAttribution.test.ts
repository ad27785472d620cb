/**
 * In mode central, the monitors handle events that member accounts forwarded to the central bus:
 * every finding names the member's account and region, never the central account's
 * (docs/organization.md). The member events are derived from real records (test/fixtures) by
 * moving them to other accounts and regions; nothing else in them changes.
 */
import 'aws-sdk-client-mock-jest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockDeliveryClients } from '../helpers/deliveryMocks';
import { DEFAULT_CONFIG } from '../../src/config/config';
import { silentLog } from '../../src/delivery/log';
import type { Finding } from '../../src/findings/finding';
import { deletionMonitor } from '../../src/monitors';
import { handleMonitorEvent } from '../../src/runtime/eventHandler';
import { runCli } from '../helpers/cli';
import { sample } from '../helpers/fixtures';

const CENTRAL_ACCOUNT = '999999999999';
const CENTRAL_REGION = 'eu-west-1';

/**
 * Derived: the real record `path` as if it had happened in `account` and `region` (its account id
 * and region replaced wherever they appear: recipientAccountId, the caller's ARN, the secret ARNs,
 * the endpoint host).
 */
function inMemberAccount(path: string, account: string, region: string): Record<string, unknown> {
  const original = sample(path);
  const detail = ('detail' in original ? original.detail : original) as Record<string, unknown>;
  const fromAccount = String(detail.recipientAccountId);
  const fromRegion = String(detail.awsRegion);
  const text = JSON.stringify(original)
    .split(fromAccount)
    .join(account)
    .split(`:${fromRegion}:`)
    .join(`:${region}:`)
    .split(`.${fromRegion}.`)
    .join(`.${region}.`)
    .split(`"awsRegion":"${fromRegion}"`)
    .join(`"awsRegion":"${region}"`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** How a member's rule delivers a record to the central bus: EventBridge keeps the source account and region. */
function forwarded(detail: Record<string, unknown>) {
  return {
    version: '0',
    id: 'forwarded-1',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.secretsmanager',
    account: detail.recipientAccountId,
    time: detail.eventTime,
    region: detail.awsRegion,
    resources: [],
    detail,
  };
}

describe('a central monitor handling a forwarded event', () => {
  const { sns, eb, clients, succeedAll } = mockDeliveryClients();
  const deps = () => ({
    config: { ...DEFAULT_CONFIG, alertTopicArn: `arn:aws:sns:${CENTRAL_REGION}:${CENTRAL_ACCOUNT}:secretwatch-prod-alerts`, findingsBusName: 'secretwatch-findings-prod' },
    clients,
    log: silentLog,
    now: () => new Date('2024-06-01T00:00:00Z'),
  });

  beforeEach(succeedAll);

  test('attributes the finding to the member account and region, in what it publishes too', async () => {
    const event = forwarded(inMemberAccount('DeleteSecret/invictus-awsds-1.json', '111111111111', 'eu-central-1'));
    const result = await handleMonitorEvent(event, deletionMonitor, deps());
    expect(result.status).toBe('processed');
    if (result.status !== 'processed') return;
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({
      check: 'secret-force-deleted',
      account: '111111111111',
      region: 'eu-central-1',
      secret: { arn: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:stratus-red-team-retrieve-secret-7-nFvpuv' },
    });
    expect(finding.remediation).not.toContain(CENTRAL_ACCOUNT);
    // What people and the findings bus receive (the topic ARN itself is the central account's).
    const published = JSON.stringify(sns.commandCalls(PublishCommand).map((c) => [c.args[0].input.Subject, c.args[0].input.Message]));
    const onBus = JSON.stringify(eb.commandCalls(PutEventsCommand).flatMap((c) => (c.args[0].input.Entries ?? []).map((e) => e.Detail)));
    for (const sent of [published, onBus]) {
      expect(sent).toContain('111111111111');
      expect(sent).not.toContain(CENTRAL_ACCOUNT);
    }
  });

  test('the envelope names the account when the record does not', async () => {
    const detail = inMemberAccount('DeleteSecret/invictus-awsds-1.json', '222222222222', 'ap-southeast-2');
    delete detail.recipientAccountId;
    const event = { ...forwarded(detail), account: '222222222222' };
    const result = await handleMonitorEvent(event, deletionMonitor, deps());
    expect(result.status === 'processed' && result.findings.map((f) => [f.account, f.region])).toEqual([['222222222222', 'ap-southeast-2']]);
  });
});

describe('replay of a mixed trail from three accounts', () => {
  const ACCOUNTS = { a: '111111111111', b: '222222222222', c: '333333333333' };

  test('gives every finding the account and region its record came from', async () => {
    const records = [
      // The same real force deletion in all three accounts: three findings, one per account.
      inMemberAccount('DeleteSecret/invictus-awsds-1.json', ACCOUNTS.a, 'us-east-1'),
      inMemberAccount('DeleteSecret/invictus-awsds-1.json', ACCOUNTS.b, 'eu-west-1'),
      inMemberAccount('DeleteSecret/invictus-awsds-1.json', ACCOUNTS.c, 'ap-southeast-2'),
      inMemberAccount('PutResourcePolicy/streamalert-1.json', ACCOUNTS.b, 'eu-west-1'),
      inMemberAccount('RotationFailed/awsdocs-smdocs-1.json', ACCOUNTS.c, 'ap-southeast-2'),
      // Unchanged real records of an account that is none of the three: still their own.
      sample('DeleteSecret/invictus-awsds-2.json'),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'secretwatch-org-')), 'mixed.jsonl');
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const run = await runCli(['replay', file, '--format', 'json']);
    expect(run.code).toBe(0);
    const findings = run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Finding);
    const own = sample('DeleteSecret/invictus-awsds-2.json') as { recipientAccountId: string; awsRegion: string };
    const deletions = findings.filter((f) => f.event?.id === 'dbf59de5-4d63-4aca-9fce-a657f5df89c9').map((f) => `${f.account} ${f.region} ${f.secret?.arn}`);
    expect(deletions.sort()).toEqual([
      `${ACCOUNTS.a} us-east-1 arn:aws:secretsmanager:us-east-1:${ACCOUNTS.a}:secret:stratus-red-team-retrieve-secret-7-nFvpuv`,
      `${ACCOUNTS.b} eu-west-1 arn:aws:secretsmanager:eu-west-1:${ACCOUNTS.b}:secret:stratus-red-team-retrieve-secret-7-nFvpuv`,
      `${ACCOUNTS.c} ap-southeast-2 arn:aws:secretsmanager:ap-southeast-2:${ACCOUNTS.c}:secret:stratus-red-team-retrieve-secret-7-nFvpuv`,
    ]);
    const byAccount = (account: string) =>
      findings
        .filter((f) => f.account === account)
        .map((f) => f.check)
        .sort();
    expect(byAccount(ACCOUNTS.a)).toEqual(['secret-force-deleted']);
    expect(byAccount(ACCOUNTS.b)).toEqual(['secret-force-deleted', 'secret-policy-public']);
    expect(byAccount(ACCOUNTS.c)).toEqual(['rotation-failed', 'secret-force-deleted']);
    expect(byAccount(own.recipientAccountId)).toHaveLength(1);
    for (const f of findings.filter((x) => x.account === ACCOUNTS.b)) expect(f.region).toBe('eu-west-1');
    for (const f of findings.filter((x) => x.account === ACCOUNTS.c)) expect(f.region).toBe('ap-southeast-2');
    expect(findings.filter((f) => f.account === own.recipientAccountId)[0].region).toBe(own.awsRegion);
    expect(findings).toHaveLength(6);
  });
});
