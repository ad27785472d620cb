import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedWebhookUrl, parseWebhookSecret, readWebhookUrl, WebhookSecretError } from '../../../src/delivery/slack/webhookUrl';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:secretwatch/slack-AbCdEf';
const HOOK = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/s3cr3tT0k3nXYZ';

describe('the secret value', () => {
  test.each([
    ['the URL itself', HOOK],
    ['with spaces and a line break around it', `  ${HOOK}\n`],
    ['JSON with url', JSON.stringify({ url: HOOK })],
    ['JSON with webhookUrl', JSON.stringify({ webhookUrl: HOOK, channel: '#secops' })],
    ['JSON with webhook_url', JSON.stringify({ webhook_url: HOOK })],
    ['plain http to loopback (a local proxy, tests)', 'http://127.0.0.1:8080/services/x'],
  ])('%s', (_name, value) => {
    const url = parseWebhookSecret(value);
    expect(url.href).toBe(new URL(value.trim().startsWith('{') ? (Object.values(JSON.parse(value))[0] as string) : value.trim()).href);
  });

  test.each([
    ['not a URL', 's3cr3tT0k3nXYZ', 'the webhook secret does not hold a URL'],
    ['plain http anywhere else', 'http://hooks.slack.com/services/s3cr3tT0k3nXYZ', 'the webhook URL must use https (it uses http)'],
    ['another scheme', 'ftp://hooks.slack.com/s3cr3tT0k3nXYZ', 'the webhook URL must use https (it uses ftp)'],
    ['user credentials in the URL', 'https://user:s3cr3tT0k3nXYZ@hooks.slack.com/x', 'the webhook URL must not carry user credentials'],
    ['JSON without a URL key', JSON.stringify({ token: 's3cr3tT0k3nXYZ' }), 'the webhook secret is JSON without a string under any of url, webhookUrl, webhook_url, slackWebhookUrl'],
    ['broken JSON', '{"url": "s3cr3tT0k3nXYZ"', 'the webhook secret looks like JSON but does not parse'],
  ])('%s is refused without repeating the value', (_name, value, message) => {
    let error: unknown;
    try {
      parseWebhookSecret(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebhookSecretError);
    expect((error as Error).message).toBe(message);
    expect((error as Error).message).not.toContain('s3cr3tT0k3nXYZ');
  });
});

describe('reading the secret', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());
  const client = new SecretsManagerClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });

  test('GetSecretValue on the named secret, and nothing else', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: HOOK });
    await expect(readWebhookUrl(client, ARN)).resolves.toEqual(new URL(HOOK));
    expect(sm.calls()).toHaveLength(1);
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
  });

  test('a refused read names the secret and the reason', async () => {
    sm.on(GetSecretValueCommand).rejects(Object.assign(new Error('User is not authorized to perform secretsmanager:GetSecretValue'), { name: 'AccessDeniedException' }));
    await expect(readWebhookUrl(client, ARN)).rejects.toThrow(
      new WebhookSecretError(`could not read the webhook secret ${ARN}: AccessDeniedException: User is not authorized to perform secretsmanager:GetSecretValue`),
    );
  });

  test('a binary secret is refused', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2]) });
    await expect(readWebhookUrl(client, ARN)).rejects.toThrow(/has no string value/);
  });
});

describe('once per container', () => {
  test('a good URL is read once', async () => {
    const read = jest.fn(async () => new URL(HOOK));
    const source = cachedWebhookUrl(read);
    await source.get();
    await source.get();
    expect(read).toHaveBeenCalledTimes(1);
  });

  test('a failed read is not kept: the next invocation reads again', async () => {
    const read = jest.fn<Promise<URL>, []>().mockRejectedValueOnce(new WebhookSecretError('no')).mockResolvedValueOnce(new URL(HOOK));
    const source = cachedWebhookUrl(read);
    await expect(source.get()).rejects.toThrow('no');
    await expect(source.get()).resolves.toEqual(new URL(HOOK));
    expect(read).toHaveBeenCalledTimes(2);
  });

  test('invalidate() makes the next get() read the secret again (a rotated webhook)', async () => {
    const read = jest.fn(async () => new URL(HOOK));
    const source = cachedWebhookUrl(read);
    await source.get();
    source.invalidate();
    await source.get();
    expect(read).toHaveBeenCalledTimes(2);
  });
});
