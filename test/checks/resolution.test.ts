import { runEventChecks } from '../../src/checks/check';
import { eventResolutions } from '../../src/checks/resolution';
import { parseEvent } from '../../src/events/parse';
import { findingId, findingIdOf } from '../../src/findings/findingId';
import { policyChecks, rotationChecks } from '../helpers/checks';
import { ctx, derive } from '../helpers/fixtures';

const PUT = 'PutResourcePolicy/panther-1.json';
const ROTATE = 'RotateSecret/permiso-ccc-1.json';
const OWNER = '123456789012';

function resolutionsOf(event: Record<string, unknown>, checks = policyChecks) {
  const record = parseEvent(event).record;
  const findings = runEventChecks(checks, record, ctx());
  return { findings, resolutions: eventResolutions(record, findings) };
}

function putWith(statement: Record<string, unknown>, change: (r: Record<string, unknown>) => void = () => {}) {
  return derive(PUT, (r) => {
    (r.requestParameters as Record<string, unknown>).resourcePolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', ...statement }],
    });
    change(r);
  });
}

const PUBLIC = { Principal: '*' };
const CROSS_ACCOUNT = { Principal: { AWS: 'arn:aws:iam::999988887777:role/Reader' } };
const PRIVATE = { Principal: { AWS: `arn:aws:iam::${OWNER}:role/App` } };

describe('resource policies', () => {
  test('a private policy closes the public and the cross-account finding of the same secret, under the Ids those findings have', () => {
    const { resolutions } = resolutionsOf(putWith(PRIVATE));
    expect(resolutions.map((r) => r.subject.check)).toEqual(['secret-policy-public', 'secret-policy-cross-account']);
    expect(resolutions[0].reason).toBe('a new resource policy opens the secret to no other account');
    const { findings: publicFindings } = resolutionsOf(putWith(PUBLIC));
    expect(findingId(resolutions[0].subject)).toBe(findingIdOf(publicFindings[0]));
  });

  test('a policy still open to another account closes only the public finding', () => {
    expect(resolutionsOf(putWith(CROSS_ACCOUNT)).resolutions.map((r) => r.subject.check)).toEqual(['secret-policy-public']);
  });

  test('a public policy closes nothing', () => {
    expect(resolutionsOf(putWith(PUBLIC)).resolutions).toEqual([]);
  });

  test('a deleted policy closes both; a refused change closes nothing', () => {
    const deleted = derive(PUT, (r) => {
      r.eventName = 'DeleteResourcePolicy';
      (r.requestParameters as Record<string, unknown>).resourcePolicy = undefined;
    });
    expect(resolutionsOf(deleted).resolutions.map((r) => [r.subject.check, r.reason])).toEqual([
      ['secret-policy-public', 'the resource policy was deleted'],
      ['secret-policy-cross-account', 'the resource policy was deleted'],
    ]);
    expect(resolutionsOf(putWith(PRIVATE, (r) => Object.assign(r, { errorCode: 'AccessDenied', errorMessage: 'no' }))).resolutions).toEqual([]);
  });
});

describe('rotation', () => {
  function rotate(rotationRules: unknown) {
    return derive(ROTATE, (r) => {
      r.errorCode = undefined;
      r.errorMessage = undefined;
      (r.requestParameters as Record<string, unknown>).rotationRules = rotationRules;
    });
  }

  test('rotation turned on with a schedule within the limit closes rotation-disabled and rotation-schedule-too-long', () => {
    const { resolutions } = resolutionsOf(rotate({ automaticallyAfterDays: 30 }), rotationChecks);
    expect(resolutions.map((r) => r.subject.check)).toEqual(['rotation-disabled', 'rotation-schedule-too-long']);
    expect(resolutions[0].event?.name).toBe('RotateSecret');
  });

  test('a schedule over the limit closes only rotation-disabled (its own finding stays open)', () => {
    const { findings, resolutions } = resolutionsOf(rotate({ automaticallyAfterDays: 365 }), rotationChecks);
    expect(findings.map((f) => f.check)).toEqual(['rotation-schedule-too-long']);
    expect(resolutions.map((r) => r.subject.check)).toEqual(['rotation-disabled']);
  });

  test('RotateSecret without rules (rotate once now) and a refused RotateSecret close nothing', () => {
    expect(resolutionsOf(rotate(undefined), rotationChecks).resolutions).toEqual([]);
    expect(
      resolutionsOf(
        derive(ROTATE, () => {}),
        rotationChecks,
      ).resolutions,
    ).toEqual([]);
  });
});
