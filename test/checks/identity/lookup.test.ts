/**
 * The identity-policy checks with the document a deployed function reads from IAM (a lookup of the
 * tests' own): new default versions of customer-managed policies, exemptions, policies that are
 * gone, and documents the analyzer cannot read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityPolicyAdministersAllSecrets, identityPolicyChangeDenied, identityPolicyReadsAllSecrets } from '../../../src/checks/registry';
import { DEFAULT_CONFIG, type Config } from '../../../src/config/config';
import { parseEvent } from '../../../src/events/parse';
import type { CloudTrailRecord } from '../../../src/events/record';
import { iamPrincipal } from '../../../src/resources/iam';
import type { PolicyDocumentLookup, PolicyLookupResult } from '../../../src/resources/policyDocuments';

const EVENTS = join(__dirname, '..', '..', '..', 'src', 'checks', 'identity-policy', 'identity-policy-reads-all-secrets', 'events');
const NOW = new Date('2024-06-01T00:00:00Z');
const POLICY = 'arn:aws:iam::123456789012:policy/DevSvcPolicy';

function record(name: string, change: (raw: Record<string, any>) => void = () => {}): CloudTrailRecord {
  const raw = JSON.parse(readFileSync(join(EVENTS, `${name}.json`), 'utf8'));
  change(raw);
  return parseEvent(raw).record;
}

/** Answers for one policy, and records what the checks asked. */
function lookupOf(result: PolicyLookupResult, asked: unknown[][] = []): PolicyDocumentLookup {
  return {
    policy(arn, versionId, need) {
      asked.push([arn, versionId, need]);
      return arn === POLICY ? result : { status: 'unavailable', reason: 'another policy' };
    },
  };
}

const ALL_ACCESS = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:*', Resource: '*' }] }));
const ATTACHED = [iamPrincipal('AwsIamRole', 'app', '123456789012'), iamPrincipal('AwsIamUser', 'deploy-bot', '123456789012')];
const found = (document: unknown, extra: Partial<Extract<PolicyLookupResult, { status: 'found' }>> = {}): PolicyLookupResult => ({
  status: 'found',
  document,
  versionId: 'v2',
  source: 'iam',
  attachedTo: ATTACHED,
  previousVersionId: 'v1',
  ...extra,
});

function run(rec: CloudTrailRecord, policies: PolicyDocumentLookup, config: Partial<Config> = {}) {
  const ctx = { config: { ...DEFAULT_CONFIG, ...config }, now: NOW, policies };
  return [identityPolicyReadsAllSecrets, identityPolicyAdministersAllSecrets, identityPolicyChangeDenied].map((c) => c.evaluate(rec, ctx)).filter((f) => f !== null);
}

describe('SetDefaultPolicyVersion, with the version read from IAM (URL-encoded, as IAM returns it)', () => {
  const rec = record('derived-iam-18-set-default-policy-version');

  test('the finding is about the policy, names the principals it reaches, and goes back to the previous version', () => {
    const asked: unknown[][] = [];
    const [reads, administers] = run(rec, lookupOf(found(ALL_ACCESS), asked));
    expect(asked).toEqual([[POLICY, 'v2', 'document']]);
    expect(reads).toMatchObject({
      check: 'identity-policy-reads-all-secrets',
      severity: 'HIGH',
      title: 'New default version v2 of managed policy DevSvcPolicy lets role app and user deploy-bot read the values of every secret of account 123456789012',
      resource: { type: 'AwsIamPolicy', arn: POLICY, name: 'DevSvcPolicy' },
      details: {
        change: 'default-version',
        policy: { arn: POLICY, versionId: 'v2', documentSource: 'iam' },
        attachedTo: [
          { type: 'AwsIamRole', name: 'app', arn: 'arn:aws:iam::123456789012:role/app' },
          { type: 'AwsIamUser', name: 'deploy-bot', arn: 'arn:aws:iam::123456789012:user/deploy-bot' },
        ],
        attachedToCount: 2,
      },
    });
    expect(reads?.secret).toBeUndefined();
    expect(reads?.remediation).toContain(`aws iam set-default-policy-version --policy-arn ${POLICY} --version-id v1`);
    expect(administers?.check).toBe('identity-policy-administers-all-secrets');
  });

  test('exempt when the policy matches, or when every principal it reaches does; not when one does not', () => {
    const lookup = lookupOf(found(ALL_ACCESS));
    expect(run(rec, lookup, { identityExemptPrincipals: ['arn:aws:iam::123456789012:policy/DevSvc*'] })).toEqual([]);
    expect(run(rec, lookup, { identityExemptPrincipals: ['arn:aws:iam::123456789012:role/app', 'arn:aws:iam::123456789012:user/deploy-*'] })).toEqual([]);
    expect(run(rec, lookup, { identityExemptPrincipals: ['arn:aws:iam::123456789012:role/app'] })).toHaveLength(2);
  });

  test('a policy that is gone, or that the role may not read: no finding', () => {
    expect(run(rec, lookupOf({ status: 'unavailable', reason: 'NoSuchEntityException: Policy not found' }))).toEqual([]);
  });

  test('principals not listed: the finding says why, and the title speaks of the principals in general', () => {
    const [reads] = run(rec, lookupOf(found(ALL_ACCESS, { attachedTo: null, attachedToUnavailable: 'AccessDenied: no' })));
    expect(reads?.title).toContain('lets the principals it is attached to read');
    expect(reads?.details).toMatchObject({ attachedTo: null, attachedToUnavailable: 'AccessDenied: no' });
  });

  test('a version that grants nothing on secrets: no finding', () => {
    expect(run(rec, lookupOf(found(JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' } }))))).toEqual([]);
  });

  test('a document the analyzer cannot read is reported once, MEDIUM, with the reason', () => {
    const findings = run(rec, lookupOf(found('{"Statement": [{"Effect": "Allow", "Action": "*"}]}')));
    expect(findings.map((f) => [f.check, f.severity])).toEqual([['identity-policy-reads-all-secrets', 'MEDIUM']]);
    expect(findings[0].details).toMatchObject({ parseErrorReason: 'invalid-resource' });
  });
});

describe('CreatePolicyVersion: the document from the event, the principals from the lookup', () => {
  test('asks only for the attachments, and a refused one is change-denied', () => {
    const asked: unknown[][] = [];
    const rec = record('derived-iam-15-policy-version-default', (raw) => {
      raw.errorCode = 'LimitExceeded';
      raw.errorMessage = 'A managed policy can have up to 5 versions.';
    });
    const findings = run(rec, lookupOf(found(null), asked));
    expect(asked).toEqual([[POLICY, null, 'attachments']]);
    expect(findings.map((f) => f.check)).toEqual(['identity-policy-change-denied']);
    expect(findings[0].title).toBe("Refused (LimitExceeded): managed policy DevSvcPolicy would have let policy DevSvcPolicy's principals read every secret of the account");
  });
});

describe('an attachment of a customer-managed policy', () => {
  const rec = record('derived-iam-14-role-attach-customer-policy');

  test('read from IAM: judged like any other document', () => {
    const [reads] = run(rec, lookupOf(found(ALL_ACCESS, { attachedTo: null })));
    expect(reads).toMatchObject({ resource: { type: 'AwsIamRole', name: 'builder' }, details: { change: 'attached', policy: { name: 'DevSvcPolicy', versionId: 'v2', documentSource: 'iam' } } });
    expect(reads?.remediation).toContain(`aws iam detach-role-policy --role-name builder --policy-arn ${POLICY}`);
  });

  test('without a lookup (no document can be had): no finding', () => {
    const ctx = { config: DEFAULT_CONFIG, now: NOW };
    expect(identityPolicyReadsAllSecrets.evaluate(rec, ctx)).toBeNull();
  });
});

test('a record that names no principal is not a change', () => {
  const rec = record('derived-iam-01-role-inline-star', (raw) => {
    delete raw.requestParameters.roleName;
  });
  expect(run(rec, lookupOf(found(ALL_ACCESS)))).toEqual([]);
});

test('a principal name with shell metacharacters is quoted in the command, and has no ARN', () => {
  const rec = record('derived-iam-01-role-inline-star', (raw) => {
    raw.requestParameters.roleName = "x'; rm -rf /";
  });
  const [reads] = run(rec, lookupOf(found(ALL_ACCESS)));
  expect(reads?.resource).toEqual({ type: 'AwsIamRole', arn: null, name: "x'; rm -rf /", id: "x'; rm -rf /" });
  expect(reads?.remediation).toContain("aws iam delete-role-policy --role-name 'x'\\''; rm -rf /' --policy-name AdminAccess");
});
