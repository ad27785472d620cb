import { InvalidEventError } from '../../src/events/errors';
import { MAX_RECORD_BYTES, parseEvent, parseEventText } from '../../src/events/parse';
import { secretOf } from '../../src/events/secret';
import { allSamples, derive, sample } from '../helpers/fixtures';

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvalidEventError) return error.reason;
    throw error;
  }
  return 'no error';
}

describe('every published sample parses', () => {
  test.each(allSamples())('%s', (path) => {
    const { envelope, record } = parseEvent(sample(path));
    // Secrets Manager's records, and IAM's for the identity-policy checks.
    expect(['secretsmanager.amazonaws.com', 'iam.amazonaws.com']).toContain(record.eventSource);
    expect(record.eventTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(envelope.source).toBe(`aws.${record.eventSource.split('.')[0]}`);
    expect(envelope['detail-type']).toMatch(/^AWS (API Call|Service Event) via CloudTrail$/);
  });
});

describe('envelopes', () => {
  test('a bare record is wrapped as EventBridge would deliver it', () => {
    const raw = sample('DeleteSecret/invictus-awsds-1.json');
    const { envelope } = parseEvent(raw);
    expect(envelope).toEqual({
      version: '0',
      id: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9',
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'aws.secretsmanager',
      account: '123837392027',
      time: '2023-07-10T12:07:59Z',
      region: 'us-east-1',
      resources: [],
      detail: raw,
    });
  });

  test('a service event gets the service-event detail-type', () => {
    expect(parseEvent(sample('RotationFailed/awsdocs-smdocs-1.json')).envelope['detail-type']).toBe('AWS Service Event via CloudTrail');
  });

  test('an EventBridge event keeps its own envelope; a detail without eventSource takes it from source', () => {
    const raw = sample('PutSecretValue/extsecrets-reloader-1.json');
    const { envelope, record } = parseEvent(raw);
    expect(envelope.id).toBe('79f04f06-924c-7a00-b3f8-e532167d23e0');
    expect(envelope.detail).toBe(raw.detail);
    expect(record.eventSource).toBe('secretsmanager.amazonaws.com');
    expect(secretOf(record).arn).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/test-secret-123456');
  });
});

describe('real variants', () => {
  test('pre-2024 aRN and later arn name the same secret', () => {
    const old = parseEvent(sample('DeleteSecret/invictus-awsds-1.json')).record;
    const renamed = parseEvent(
      derive('DeleteSecret/invictus-awsds-1.json', (r) => {
        const res = r.responseElements as Record<string, unknown>;
        res.arn = res.aRN;
        delete res.aRN;
      }),
    ).record;
    expect(secretOf(renamed)).toEqual(secretOf(old));
  });

  test('secretId given as a name or as an ARN', () => {
    expect(secretOf(parseEvent(sample('DeleteSecret/permiso-ccc-1.json')).record)).toEqual({
      arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b',
      name: 'myNewSecretName',
      id: 'myNewSecretName',
    });
    const byArn = parseEvent(
      derive('DeleteSecret/permiso-ccc-1.json', (r) => {
        r.requestParameters = { secretId: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b' };
        r.responseElements = null;
      }),
    ).record;
    expect(secretOf(byArn)).toEqual({
      arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b',
      name: 'myNewSecretName',
      id: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b',
    });
  });

  test('a service event names its secret in additionalEventData.SecretId', () => {
    const record = parseEvent(sample('RotationFailed/awsdocs-smdocs-1.json')).record;
    expect(secretOf(record)).toEqual({
      arn: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3',
      name: 'MyDatabaseSecret',
      id: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3',
    });
    expect(record.userIdentity).toEqual({ accountId: '123456789012', invokedBy: 'secretsmanager.amazonaws.com' });
  });

  test('missing userIdentity, null errorCode (trimmed exports)', () => {
    const record = parseEvent(sample('RestoreSecret/permiso-ccc-1.json')).record;
    expect(record.userIdentity).toBeNull();
    expect(record.errorCode).toBeNull();
  });

  test('exporter timestamps "2024-10-17 21:48:45.000000000" are UTC', () => {
    const record = parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => (r.eventTime = '2024-10-17 21:48:45.000000000'))).record;
    expect(record.eventTime).toBe('2024-10-17T21:48:45Z');
  });
});

describe('bad input has a typed outcome', () => {
  test.each([
    ['truncated JSON', () => parseEventText('{"eventName": "DeleteSecret", "eventTime": "2023'), 'invalid-json'],
    ['an array', () => parseEvent([1, 2]), 'not-an-object'],
    ['null', () => parseEvent(null), 'not-an-object'],
    ['a string', () => parseEvent('DeleteSecret'), 'not-an-object'],
    ['an object that is neither', () => parseEvent({ hello: 'world' }), 'not-cloudtrail'],
    ['an envelope with no detail', () => parseEvent({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager' }), 'missing-detail'],
    ['an envelope of another kind', () => parseEvent({ 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: {} }), 'not-cloudtrail'],
    ['a detail that is a string', () => parseEvent({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.secretsmanager', detail: 'x' }), 'schema'],
    ['eventName a number', () => parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => (r.eventName = 42))), 'schema'],
    ['requestParameters a string', () => parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => (r.requestParameters = 'x'))), 'schema'],
    ['eventTime not a time', () => parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => (r.eventTime = 'yesterday'))), 'schema'],
    ['no eventTime', () => parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => delete r.eventTime)), 'schema'],
    ['a bare record with no eventSource', () => parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => delete r.eventSource)), 'schema'],
  ])('%s', (_name, fn, reason) => {
    expect(reasonOf(fn)).toBe(reason);
  });

  test('a schema error names the field and keeps the eventID for the log', () => {
    try {
      parseEvent(derive('DeleteSecret/invictus-awsds-1.json', (r) => (r.eventName = 42)));
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventError);
      expect((error as InvalidEventError).message).toContain('eventName');
      expect((error as InvalidEventError).eventId).toBe('dbf59de5-4d63-4aca-9fce-a657f5df89c9');
    }
  });

  test('a record of another service parses; it is the rules and checks that ignore it', () => {
    const { record, envelope } = parseEvent({ eventVersion: '1.08', eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com', eventName: 'DeleteBucket', awsRegion: 'us-east-1' });
    expect(record.eventSource).toBe('s3.amazonaws.com');
    expect(envelope.source).toBe('aws.s3');
  });

  test('a record over 1 MiB is refused before it is parsed', () => {
    const big = JSON.stringify({ ...sample('DeleteSecret/invictus-awsds-1.json'), padding: 'x'.repeat(MAX_RECORD_BYTES) });
    expect(reasonOf(() => parseEventText(big))).toBe('record-too-large');
  });

  test('a record just under the limit is accepted', () => {
    const text = JSON.stringify({ ...sample('DeleteSecret/invictus-awsds-1.json'), padding: 'x'.repeat(MAX_RECORD_BYTES - 5000) });
    expect(parseEventText(text).record.eventName).toBe('DeleteSecret');
  });

  test('__proto__ keys are data, not a prototype change', () => {
    const { record } = parseEventText(
      '{"eventTime":"2024-01-01T00:00:00Z","eventSource":"secretsmanager.amazonaws.com","eventName":"DeleteSecret","requestParameters":{"__proto__":{"forceDeleteWithoutRecovery":true},"secretId":"x"}}',
    );
    expect(record.requestParameters.forceDeleteWithoutRecovery).toBeUndefined();
    expect(({} as Record<string, unknown>).forceDeleteWithoutRecovery).toBeUndefined();
  });
});
