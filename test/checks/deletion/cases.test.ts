import { deletionChecks } from '../../helpers/checks';
import { runEventChecks } from '../../../src/checks/check';
import { parseEvent } from '../../../src/events/parse';
import { ctx, derive } from '../../helpers/fixtures';

const FORCE = 'DeleteSecret/invictus-awsds-1.json';
const SCHEDULED = 'DeleteSecret/permiso-ccc-1.json';
const READ = 'GetSecretValue/invictus-awsds-1.json';
const MARKED = "You can't perform this operation on the secret because it was marked for deletion.";

function findings(event: Record<string, unknown>, overrides = {}) {
  return runEventChecks(deletionChecks, parseEvent(event).record, ctx(overrides));
}

describe('secret-deletion-scheduled', () => {
  test.each([
    [7, 30, 'HIGH'],
    [29, 30, 'HIGH'],
    [30, 30, 'MEDIUM'],
    [7, 7, 'MEDIUM'],
    [7, 8, 'HIGH'],
  ])('a %i-day window with minRecoveryWindowDays %i is %s', (window, min, severity) => {
    const event = derive(SCHEDULED, (r) => {
      (r.requestParameters as Record<string, unknown>).recoveryWindowInDays = window;
      delete (r.responseElements as Record<string, unknown>).deletionDate;
    });
    const [f] = findings(event, { minRecoveryWindowDays: min });
    expect(f).toMatchObject({ check: 'secret-deletion-scheduled', severity, details: { recoveryWindowInDays: window } });
    // Without a deletionDate in the response, it is the event time plus the window.
    expect(f.details.deletionDate).toBe(new Date(Date.parse('2023-12-08T04:26:16Z') + window * 86_400_000).toISOString().replace('.000', ''));
  });

  test.each([
    [6, 'recoveryWindowInDays: 6 is not a whole number from 7 to 30'],
    [1e9, 'recoveryWindowInDays: 1000000000 is not a whole number from 7 to 30'],
    ['7.5', 'recoveryWindowInDays: 7.5 is not a whole number from 7 to 30'],
    ['seven', 'recoveryWindowInDays: seven is not a whole number from 7 to 30'],
    [{ days: 7 }, 'recoveryWindowInDays: a value of type object is not a whole number from 7 to 30'],
  ])('an accepted call with a window Secrets Manager refuses (%s) is rejected at parsing, with the reason', (window, reason) => {
    const event = derive(SCHEDULED, (r) => {
      (r.requestParameters as Record<string, unknown>).recoveryWindowInDays = window;
    });
    expect(() => parseEvent(event)).toThrow(expect.objectContaining({ reason: 'out-of-range', message: expect.stringContaining(reason) }));
  });

  test.each([1e20, -1, Number.MAX_VALUE])('an accepted call with a numeric deletionDate %s that is no time is rejected at parsing', (deletionDate) => {
    const event = derive(SCHEDULED, (r) => {
      (r.responseElements as Record<string, unknown>).deletionDate = deletionDate;
    });
    expect(() => parseEvent(event)).toThrow(expect.objectContaining({ reason: 'out-of-range', message: expect.stringContaining('responseElements.deletionDate') }));
  });

  test('a refused call keeps what the caller sent: the denial is still reported', () => {
    const event = derive(SCHEDULED, (r) => {
      r.errorCode = 'InvalidParameterException';
      (r.requestParameters as Record<string, unknown>).recoveryWindowInDays = 1e9;
    });
    expect(findings(event).map((f) => f.check)).toEqual(['secret-deletion-denied']);
  });

  test('an absent recoveryWindowInDays means 30 days', () => {
    const event = derive(SCHEDULED, (r) => {
      delete (r.requestParameters as Record<string, unknown>).recoveryWindowInDays;
    });
    expect(findings(event)[0]).toMatchObject({ severity: 'MEDIUM', details: { recoveryWindowInDays: 30 } });
  });

  test('a window written as a string is read as a number', () => {
    const event = derive(SCHEDULED, (r) => {
      (r.requestParameters as Record<string, unknown>).recoveryWindowInDays = '10';
    });
    expect(findings(event)[0]).toMatchObject({ severity: 'HIGH', details: { recoveryWindowInDays: 10 } });
  });

  test('a deletion by the service that owns a managed secret is INFO', () => {
    const event = derive(SCHEDULED, (r) => {
      r.userIdentity = { accountId: '200802171337', invokedBy: 'rds.amazonaws.com' };
      r.requestParameters = { secretId: 'rds!db-0a1b2c3d', recoveryWindowInDays: 7 };
      r.responseElements = { arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:rds!db-0a1b2c3d-AbCdEf', name: 'rds!db-0a1b2c3d' };
    });
    expect(findings(event)[0]).toMatchObject({ severity: 'INFO', details: { owningService: 'rds.amazonaws.com' } });
  });

  test('a person deleting a managed secret is not excused', () => {
    const event = derive(SCHEDULED, (r) => {
      r.requestParameters = { secretId: 'rds!db-0a1b2c3d', recoveryWindowInDays: 7 };
    });
    expect(findings(event)[0]).toMatchObject({ severity: 'HIGH' });
  });
});

describe('secret-force-deleted', () => {
  test('forceDeleteWithoutRecovery as the string "true" counts', () => {
    const event = derive(FORCE, (r) => {
      (r.requestParameters as Record<string, unknown>).forceDeleteWithoutRecovery = 'true';
    });
    expect(findings(event).map((f) => f.check)).toEqual(['secret-force-deleted']);
  });

  test('forceDeleteWithoutRecovery false is a scheduled deletion, not a forced one', () => {
    const event = derive(FORCE, (r) => {
      (r.requestParameters as Record<string, unknown>).forceDeleteWithoutRecovery = false;
    });
    expect(findings(event).map((f) => f.check)).toEqual(['secret-deletion-scheduled']);
  });

  test('the owning service force-deleting its secret is INFO', () => {
    const event = derive(FORCE, (r) => {
      r.userIdentity = { accountId: '123837392027', invokedBy: 'redshift.amazonaws.com' };
      r.requestParameters = { secretId: 'redshift!cluster-1', forceDeleteWithoutRecovery: true };
      r.responseElements = { name: 'redshift!cluster-1' };
    });
    expect(findings(event)[0]).toMatchObject({ check: 'secret-force-deleted', severity: 'INFO' });
  });
});

describe('secret-deletion-denied', () => {
  test.each(['AccessDenied', 'ResourceNotFoundException', 'InvalidRequestException'])('DeleteSecret failing with %s', (errorCode) => {
    const event = derive(FORCE, (r) => {
      r.errorCode = errorCode;
      r.errorMessage = 'refused';
      delete r.responseElements;
    });
    const result = findings(event);
    expect(result.map((f) => [f.check, f.severity])).toEqual([['secret-deletion-denied', 'MEDIUM']]);
    expect(result[0].details).toEqual({ errorCode, errorMessage: 'refused' });
    expect(result[0].remediation).toContain('AttributeValue=bert-jan');
  });
});

describe('secret-restored', () => {
  test('a failed RestoreSecret gives nothing', () => {
    const event = derive('RestoreSecret/permiso-ccc-1.json', (r) => {
      r.errorCode = 'AccessDenied';
    });
    expect(findings(event)).toEqual([]);
  });
});

describe('deleted-secret-accessed', () => {
  test.each(['GetSecretValue', 'DescribeSecret', 'BatchGetSecretValue'])('%s failing because the secret is marked for deletion', (eventName) => {
    const event = derive(READ, (r) => {
      r.eventName = eventName;
      r.errorCode = 'InvalidRequestException';
      r.errorMessage = MARKED;
      delete r.responseElements;
      if (eventName === 'BatchGetSecretValue') r.requestParameters = { secretIdList: ['prod/db'] };
    });
    const [f, ...rest] = findings(event);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      check: 'deleted-secret-accessed',
      severity: 'HIGH',
      details: { errorCode: 'InvalidRequestException', errorMessage: MARKED },
    });
    expect(f.remediation).toContain('aws secretsmanager restore-secret --secret-id');
  });

  test('a read failing for another reason gives nothing', () => {
    const event = derive(READ, (r) => {
      r.errorCode = 'AccessDeniedException';
      r.errorMessage = 'not authorized';
    });
    expect(findings(event)).toEqual([]);
  });
});

test('checks ignore events they do not look at', () => {
  const event = derive(FORCE, (r) => {
    r.eventName = 'PutSecretValue';
  });
  expect(findings(event)).toEqual([]);
});

test('every check states its metadata', () => {
  for (const check of deletionChecks) {
    expect(check.id).toMatch(/^[a-z]+(-[a-z]+)+$/);
    expect(check.title.length).toBeGreaterThan(5);
    expect(check.description.length).toBeGreaterThan(20);
    expect(check.severities.length).toBeGreaterThan(0);
    expect(check.events.length).toBeGreaterThan(0);
  }
  expect(new Set(deletionChecks.map((c) => c.id)).size).toBe(deletionChecks.length);
});
