import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { catalogueExamples } from '../../scripts/catalogue-examples';
import { allChecks } from '../../src/checks';
import { AsffMappingError, resolvedAsff, toAsff } from '../../src/findings/asff';
import type { CatalogueExample } from '../../src/findings/catalogue';
import type { Finding } from '../../src/findings/finding';
import { findingIdOf } from '../../src/findings/findingId';
import { toOcsf } from '../../src/findings/ocsf';
import { makeFinding } from '../helpers/findings';

const ROOT = join(__dirname, '..', '..');
const ajv = new Ajv({ allErrors: true });
const asffSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'asff-finding.schema.json'), 'utf8')));
const ocsfSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'ocsf-finding.schema.json'), 'utf8')));
const NOW = new Date('2024-06-01T00:00:00Z');

let examples: Map<string, CatalogueExample>;
beforeAll(async () => {
  examples = await catalogueExamples(ROOT);
});

function exampleOf(checkId: string): Finding {
  const example = examples.get(checkId);
  if (!example) throw new Error(`no example finding for ${checkId}`);
  return example.finding;
}

function errorsOf(validate: typeof asffSchema, value: unknown): unknown {
  return validate(value) ? [] : validate.errors;
}

const checkIds = allChecks.map((c) => c.id);

describe.each(checkIds)('%s', (checkId) => {
  test('its finding in ASFF has every attribute Security Hub requires, FAILED and ACTIVE', () => {
    const finding = exampleOf(checkId);
    const asff = toAsff(finding, { now: NOW });
    expect(errorsOf(asffSchema, asff)).toEqual([]);
    expect(asff).toMatchObject({ GeneratorId: checkId, Compliance: { Status: 'FAILED' }, RecordState: 'ACTIVE', Title: finding.title });
    expect(asff.Resources[0].Type).toBe(finding.resource.type);
    expect(asff.ProductArn).toBe(`arn:aws:securityhub:${asff.Region}:${asff.AwsAccountId}:product/${asff.AwsAccountId}/default`);
  });

  test('its resolution in ASFF is the same Id, PASSED, ARCHIVED and RESOLVED', () => {
    const asff = toAsff(exampleOf(checkId), { now: NOW });
    const resolved = resolvedAsff(asff, 'the scan no longer finds it', new Date('2024-06-02T00:00:00Z'));
    expect(errorsOf(asffSchema, resolved)).toEqual([]);
    expect(resolved).toMatchObject({ Id: asff.Id, Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' }, UpdatedAt: '2024-06-02T00:00:00.000Z' });
  });

  test('its finding in OCSF is a Detection Finding (event) or a Compliance Finding (scan) with every required attribute', () => {
    const finding = exampleOf(checkId);
    for (const activity of ['create', 'close'] as const) {
      const event = toOcsf(finding, { now: NOW, productVersion: '0.1.0', activity });
      expect(errorsOf(ocsfSchema, event)).toEqual([]);
      expect(event.class_uid).toBe(finding.event ? 2004 : 2003);
      expect(event.type_uid).toBe(event.class_uid * 100 + (activity === 'create' ? 1 : 3));
    }
  });
});

const secret = { arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf', name: 'prod/db', id: 'prod/db' };
const base = {
  check: 'secret-policy-public',
  severity: 'CRITICAL' as const,
  title: 'Secret prod/db was made public',
  secret,
  account: '111122223333',
  region: 'eu-west-1',
  actor: { arn: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser', sourceIp: 'secretsmanager.amazonaws.com', userAgent: null },
  event: { id: 'e-1', name: 'PutResourcePolicy', time: '2024-05-01T10:00:00Z' },
  details: {},
  remediation: 'Remove the statement.',
};

test('one check on one secret has one Id, however the secret was named (name, full ARN, partial ARN)', () => {
  const byName = makeFinding({ ...base, secret: { arn: null, name: 'prod/db', id: 'prod/db' } });
  const byArn = makeFinding({ ...base, secret: { arn: secret.arn, name: null, id: secret.arn } });
  const byPartialArn = makeFinding({ ...base, secret: { arn: null, name: null, id: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db' } });
  expect(new Set([byName, byArn, byPartialArn].map(findingIdOf)).size).toBe(1);
  expect(findingIdOf(makeFinding({ ...base, check: 'secret-policy-cross-account' }))).not.toBe(findingIdOf(byName));
  expect(findingIdOf(makeFinding({ ...base, secret: { ...secret, name: 'prod/other' } }))).not.toBe(findingIdOf(byName));
  expect(findingIdOf(makeFinding({ ...base, account: '444455556666' }))).not.toBe(findingIdOf(byName));
});

test('ASFF: a member finding imported by the central account keeps its own AwsAccountId, in the central product', () => {
  const asff = toAsff(makeFinding(base), { now: NOW, productAccount: '999999999999', productRegion: 'us-east-1' });
  expect(asff.AwsAccountId).toBe('111122223333');
  expect(asff.ProductArn).toBe('arn:aws:securityhub:us-east-1:999999999999:product/999999999999/default');
});

test('ASFF: long titles and remediations are cut to the limits Security Hub enforces; IAM resources keep their type', () => {
  const asff = toAsff(
    makeFinding({
      ...base,
      title: 'x'.repeat(300),
      remediation: 'y'.repeat(600),
      resource: { type: 'AwsIamRole', arn: 'arn:aws-us-gov:iam::111122223333:role/ci', name: 'ci', id: 'ci' },
      secret: undefined,
      region: 'us-gov-west-1',
    }),
    { now: NOW, documentationBaseUrl: 'https://example.org/docs/alerts.md' },
  );
  expect(errorsOf(asffSchema, asff)).toEqual([]);
  expect(asff.Title).toHaveLength(256);
  expect(asff.Remediation.Recommendation.Text).toHaveLength(512);
  expect(asff.Resources).toEqual([
    { Type: 'AwsIamRole', Id: 'arn:aws-us-gov:iam::111122223333:role/ci', Partition: 'aws-us-gov', Region: 'us-gov-west-1', Details: { AwsIamRole: { RoleName: 'ci' } } },
  ]);
  expect(asff.ProductArn).toMatch(/^arn:aws-us-gov:securityhub:us-gov-west-1:/);
  expect(asff.SourceUrl).toBe('https://example.org/docs/alerts.md#secret-policy-public');
});

test('ASFF: a finding that names no account anywhere is refused with a reason, not guessed', () => {
  const finding = makeFinding({ ...base, account: null, secret: { arn: null, name: 'prod/db', id: 'prod/db' } });
  expect(() => toAsff(finding, { now: NOW })).toThrow(AsffMappingError);
  expect(() => toAsff(finding, { now: NOW })).toThrow('names no account');
  // The account of the secret's ARN is enough.
  expect(toAsff(makeFinding({ ...base, account: null }), { now: NOW }).AwsAccountId).toBe('111122223333');
});

test('OCSF: the caller is a user, and a service name in sourceIPAddress is not an endpoint', () => {
  const event = toOcsf(makeFinding(base), { now: NOW, productVersion: '0.1.0' });
  expect(event.actor).toEqual({ user: { uid: 'arn:aws:iam::111122223333:user/alice', type: 'IAMUser' } });
  expect(event.src_endpoint).toBeUndefined();
  const withIp = toOcsf(makeFinding({ ...base, actor: { ...base.actor, sourceIp: '203.0.113.9' } }), { now: NOW, productVersion: '0.1.0' });
  expect(withIp.src_endpoint).toEqual({ ip: '203.0.113.9' });
  expect(event.time).toBe(Date.parse('2024-05-01T10:00:00Z'));
});

test('the schemas reject what Security Hub and OCSF would (they can fail)', () => {
  const asff = toAsff(makeFinding(base), { now: NOW });
  const { Resources: _r, ...noResources } = asff;
  expect(asffSchema(noResources)).toBe(false);
  expect(asffSchema({ ...asff, Severity: { Label: 'INFO' } })).toBe(false);
  expect(asffSchema({ ...asff, Types: ['Made Up/Type'] })).toBe(false);
  const ocsf = toOcsf(makeFinding({ ...base, event: null }), { now: NOW, productVersion: '0.1.0' });
  const { compliance: _c, ...noCompliance } = ocsf;
  expect(ocsfSchema(noCompliance)).toBe(false);
  expect(ocsfSchema({ ...ocsf, type_uid: 200401 })).toBe(false);
});
