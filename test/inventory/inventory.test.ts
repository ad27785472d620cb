import { createInventoryClient } from '../../src/inventory/client';
import { listInventory } from '../../src/inventory/listSecrets';
import { RateLimiter, type Clock } from '../../src/inventory/rateLimiter';
import { lookUpCurrentVersions } from '../../src/inventory/versions';
import { FakeSecretsManager, type FakeSecret } from '../helpers/fakeSecretsManager';

const FAKE_CREDENTIALS = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake' };
const T = Date.parse('2024-06-01T00:00:00Z') / 1000;

function fakeSecrets(n: number): FakeSecret[] {
  return Array.from({ length: n }, (_, i) => ({
    ARN: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:s${i}-AbCdEf`,
    Name: `s${i}`,
    CreatedDate: T - i * 3600,
    ...(i % 2 ? { Tags: [{ Key: 'team', Value: 'a' }] } : {}),
  }));
}

/** A clock that never waits: it records what it was asked to wait, so the spacing can be checked without timing anything. */
function recordingClock() {
  let now = 0;
  const waits: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
  return { clock, waits, advance: (ms: number) => (now += ms) };
}

describe('rate limiter', () => {
  test('spaces calls evenly: 10 a second is one every 100 ms, in the order asked', async () => {
    const { clock, waits } = recordingClock();
    const limiter = new RateLimiter(10, clock);
    await limiter.take();
    await limiter.take();
    await limiter.take();
    expect(waits).toEqual([100, 100]);
  });

  test('concurrent callers get consecutive slots', async () => {
    const slots: number[] = [];
    const clock: Clock = { now: () => 0, sleep: async (ms) => slots.push(ms) };
    const limiter = new RateLimiter(50, clock);
    await Promise.all(Array.from({ length: 5 }, () => limiter.take()));
    expect(slots).toEqual([20, 40, 60, 80]);
  });

  test('an idle limiter does not save up a burst', async () => {
    const { clock, waits, advance } = recordingClock();
    const limiter = new RateLimiter(10, clock);
    await limiter.take();
    advance(5_000);
    await limiter.take();
    await limiter.take();
    expect(waits).toEqual([100]);
  });

  test('a rate that is not positive is refused', () => {
    expect(() => new RateLimiter(0)).toThrow(RangeError);
    expect(() => new RateLimiter(Number.NaN)).toThrow(RangeError);
  });
});

describe('listing the inventory', () => {
  test('every page, 100 secrets a call, those pending deletion included', async () => {
    const fake = new FakeSecretsManager([...fakeSecrets(249), { ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:gone-AbCdEf', Name: 'gone', DeletedDate: T }]);
    const inventory = createInventoryClient({ region: 'eu-west-1', requestHandler: fake.handler as never, credentials: FAKE_CREDENTIALS, rateLimits: { ListSecrets: 1e6 } });
    const pages: number[] = [];
    const secrets = await listInventory(inventory.client, (n) => pages.push(n));
    expect(secrets).toHaveLength(250);
    expect(pages).toEqual([100, 200, 250]);
    expect(fake.requests.map((r) => r.input)).toEqual([
      { MaxResults: 100, IncludePlannedDeletion: true },
      { MaxResults: 100, IncludePlannedDeletion: true, NextToken: 'token-100' },
      { MaxResults: 100, IncludePlannedDeletion: true, NextToken: 'token-200' },
    ]);
    expect(inventory.calls).toEqual({ ListSecrets: 3, ListSecretVersionIds: 0 });
    expect(secrets[1]).toEqual({
      arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:s1-AbCdEf',
      name: 's1',
      createdMs: (T - 3600) * 1000,
      lastChangedMs: null,
      lastRotatedMs: null,
      lastAccessedMs: null,
      nextRotationMs: null,
      deletedMs: null,
      rotationEnabled: false,
      rotationRules: null,
      rotationLambdaArn: null,
      kmsKeyId: null,
      owningService: null,
      primaryRegion: null,
      tags: { team: 'a' },
    });
    expect(secrets[249]).toMatchObject({ name: 'gone', deletedMs: T * 1000 });
  });

  test('each request waits for its slot, retries included, and is counted', async () => {
    const fake = new FakeSecretsManager(fakeSecrets(300), { listErrors: [[400, 'ThrottlingException']] });
    const { clock, waits } = recordingClock();
    const inventory = createInventoryClient({ region: 'eu-west-1', requestHandler: fake.handler as never, credentials: FAKE_CREDENTIALS, rateLimits: { ListSecrets: 4 }, clock });
    await listInventory(inventory.client);
    // 3 pages and the throttled attempt: 4 requests, 250 ms apart (the retry's own back-off aside).
    expect(fake.calls('ListSecrets')).toBe(4);
    expect(inventory.calls.ListSecrets).toBe(4);
    expect(waits.filter((w) => w === 250).length).toBeGreaterThanOrEqual(2);
    expect(waits.every((w) => w <= 250)).toBe(true);
  });

  test('an error that retrying cannot fix ends the listing', async () => {
    const fake = new FakeSecretsManager(fakeSecrets(10), { listErrors: [[400, 'AccessDeniedException']] });
    const inventory = createInventoryClient({ region: 'eu-west-1', requestHandler: fake.handler as never, credentials: FAKE_CREDENTIALS });
    await expect(listInventory(inventory.client)).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('AWSCURRENT version look-ups', () => {
  const secrets = fakeSecrets(6);
  const arns = secrets.map((s) => s.ARN);

  async function lookUp(fake: FakeSecretsManager, options: Parameters<typeof lookUpCurrentVersions>[2] = {}) {
    const inventory = createInventoryClient({ region: 'eu-west-1', requestHandler: fake.handler as never, credentials: FAKE_CREDENTIALS, rateLimits: { ListSecretVersionIds: 1e6 } });
    const listed = await listInventory(inventory.client);
    const result = await lookUpCurrentVersions(inventory.client, listed.slice(0, 4), options);
    return { result, inventory };
  }

  test("one call per secret, asking for its labelled versions; the AWSCURRENT one's date", async () => {
    const fake = new FakeSecretsManager(secrets, { currentVersionDates: new Map([[arns[0], T - 86_400]]) });
    const { result, inventory } = await lookUp(fake);
    expect(inventory.calls.ListSecretVersionIds).toBe(4);
    expect(fake.requests.find((r) => r.target === 'ListSecretVersionIds')?.input).toEqual({ SecretId: arns[0], MaxResults: 100, IncludeDeprecated: false });
    expect(result.get(arns[0])).toEqual({ createdMs: (T - 86_400) * 1000 });
    expect(result.get(arns[1])).toEqual({ createdMs: (T - 3600) * 1000 });
  });

  test('a failed look-up is recorded for that secret only, and the others go on', async () => {
    const fake = new FakeSecretsManager(secrets, { versionErrors: new Map([[arns[1], [400, 'AccessDeniedException']]]) });
    const { result } = await lookUp(fake);
    expect(result.get(arns[1])).toEqual({ error: 'look-up failed: AccessDeniedException (HTTP 400)' });
    expect([0, 2, 3].map((i) => 'createdMs' in (result.get(arns[i]) ?? {}))).toEqual([true, true, true]);
  });

  test('after a run of failures the rest are not attempted: the cause is not one secret', async () => {
    const fake = new FakeSecretsManager(secrets, { versionErrors: new Map(arns.map((a) => [a, [400, 'AccessDeniedException']])) });
    const { result } = await lookUp(fake, { concurrency: 1, maxConsecutiveFailures: 2 });
    expect(fake.calls('ListSecretVersionIds')).toBe(2);
    expect(result.get(arns[3])).toEqual({ error: 'not looked up: 2 look-ups failed in a row (last: AccessDeniedException (HTTP 400))', skipped: true });
  });

  test('past the deadline no look-up starts', async () => {
    const fake = new FakeSecretsManager(secrets);
    let now = 0;
    const { result } = await lookUp(fake, { concurrency: 1, deadlineMs: 1, now: () => now++ });
    expect(fake.calls('ListSecretVersionIds')).toBe(2);
    expect(result.get(arns[3])).toEqual({ error: 'not looked up: the scan ran out of time', skipped: true });
  });
});
