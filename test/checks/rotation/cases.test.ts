import { rotationChecks } from '../../helpers/checks';
import { runEventChecks } from '../../../src/checks/check';
import { parseEvent } from '../../../src/events/parse';
import { ctx, derive } from '../../helpers/fixtures';

// Cases no published record shows, derived from the real ones (RotateSecret from Permiso's
// console session, RotationFailed from the AWS documentation).
const ROTATE = 'RotateSecret/permiso-ccc-1.json';
const FAILED = 'RotationFailed/awsdocs-smdocs-1.json';

function findingsOf(path: string, change: (r: Record<string, unknown>) => void, overrides = {}) {
  return runEventChecks(rotationChecks, parseEvent(derive(path, change)).record, ctx(overrides));
}

/** A successful RotateSecret with these rotation rules. */
function rotateWith(rules: Record<string, unknown> | undefined) {
  return (r: Record<string, unknown>) => {
    r.errorCode = null;
    r.errorMessage = null;
    r.responseElements = { arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b', name: 'myNewSecretName' };
    (r.requestParameters as Record<string, unknown>).rotationRules = rules;
  };
}

describe('rotation-schedule-too-long', () => {
  test.each([
    [{ automaticallyAfterDays: 30 }, null],
    [{ automaticallyAfterDays: 90 }, null],
    [{ automaticallyAfterDays: 91 }, 91],
    [{ automaticallyAfterDays: '365' }, 365],
    [{ scheduleExpression: 'rate(23 hours)' }, null],
    [{ scheduleExpression: 'rate(90 days)' }, null],
    [{ scheduleExpression: 'rate(100 days)' }, 100],
    [{ scheduleExpression: 'rate(2400 hours)' }, 100],
    [{ scheduleExpression: 'rate(1 day)' }, null],
    // The expression wins over AutomaticallyAfterDays, as in the service.
    [{ scheduleExpression: 'rate(120 days)', automaticallyAfterDays: 30 }, 120],
    // Monthly, weekly, every first Saturday, quarterly, twice a year, yearly.
    [{ scheduleExpression: 'cron(0 16 1 * ? *)' }, null],
    [{ scheduleExpression: 'cron(0 8 ? * SAT *)' }, null],
    [{ scheduleExpression: 'cron(0 8 ? * SAT#1 *)' }, null],
    // Quarterly is over 90 days: April to July is 91 days, July to October 92.
    [{ scheduleExpression: 'cron(0 0 1 1,4,7,10 ? *)' }, 92],
    [{ scheduleExpression: 'cron(0 0 1 1,7 ? *)' }, 184],
    [{ scheduleExpression: 'cron(0 0 15 JUN ? *)' }, 365],
  ])('%j: %s days over the limit', (rules, days) => {
    const findings = findingsOf(ROTATE, rotateWith(rules));
    if (days === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'rotation-schedule-too-long', severity: 'MEDIUM', details: { maxRotationDays: 90 } });
    expect(findings[0].details.longestIntervalDays).toBeCloseTo(days, 0);
    expect(findings[0].remediation).toBe(
      `Shorten the schedule: aws secretsmanager rotate-secret --secret-id arn:aws:secretsmanager:us-east-1:200802171337:secret:myNewSecretName-UlD74b --rotation-rules '{"ScheduleExpression":"rate(90 days)"}' --no-rotate-immediately --region us-east-1`,
    );
  });

  test('the limit is maxRotationDays', () => {
    expect(findingsOf(ROTATE, rotateWith({ automaticallyAfterDays: 30 }), { maxRotationDays: 7 })).toMatchObject([
      { check: 'rotation-schedule-too-long', details: { maxRotationDays: 7, longestIntervalDays: 30 } },
    ]);
  });

  test('a schedule that never fires again (its year is over) is as long as it gets', () => {
    expect(findingsOf(ROTATE, rotateWith({ scheduleExpression: 'cron(0 0 1 1 ? 2020)' }))).toMatchObject([{ details: { longestIntervalDays: null }, title: expect.stringContaining('never again') }]);
  });

  test.each([['cron(0 0 * * * *)'], ['cron(nonsense)'], ['rate(0 days)'], ['at(2024-01-01T00:00:00)'], [42]])('an expression it cannot read (%j) gets no verdict, not a guess', (expression) => {
    expect(findingsOf(ROTATE, rotateWith({ scheduleExpression: expression }))).toEqual([]);
  });

  test('no rules, or rules that are not an object: no finding', () => {
    expect(findingsOf(ROTATE, rotateWith(undefined))).toEqual([]);
    expect(
      findingsOf(ROTATE, (r) => {
        rotateWith(undefined)(r);
        (r.requestParameters as Record<string, unknown>).rotationRules = 'rate(365 days)';
      }),
    ).toEqual([]);
  });

  test('the owning service of a managed secret setting its own schedule is INFO', () => {
    const findings = findingsOf(ROTATE, (r) => {
      rotateWith({ automaticallyAfterDays: 365 })(r);
      (r.requestParameters as Record<string, unknown>).secretId = 'rds!db-1234';
      r.responseElements = null;
      r.userIdentity = { invokedBy: 'rds.amazonaws.com' };
    });
    expect(findings).toMatchObject([{ check: 'rotation-schedule-too-long', severity: 'INFO', details: { owningService: 'rds.amazonaws.com' } }]);
  });
});

describe('rotation-failed', () => {
  test('RotationAbandoned is MEDIUM and says how to rotate again', () => {
    const findings = findingsOf(FAILED, (r) => {
      r.eventName = 'RotationAbandoned';
      delete r.errorMessage;
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'rotation-failed',
      severity: 'MEDIUM',
      title: 'Rotation of secret MyDatabaseSecret was abandoned',
      details: { errorMessage: null, failedStep: null, rotationLambdaArn: null, logGroup: null },
    });
    expect(findings[0].remediation).toContain('aws secretsmanager rotate-secret --secret-id arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3 --region us-east-2');
  });

  test('RotationFailed without a function in its message still says where to look', () => {
    const findings = findingsOf(FAILED, (r) => {
      r.errorMessage = 'Internal failure';
    });
    expect(findings).toMatchObject([{ severity: 'HIGH', title: 'Rotation of secret MyDatabaseSecret failed', details: { failedStep: null, rotationLambdaArn: null } }]);
    expect(findings[0].remediation).toContain('around 2022-09-13T02:17:48Z');
  });

  test.each(['createSecret', 'testSecret', 'finishSecret'])('the failing step %s is named', (step) => {
    const findings = findingsOf(FAILED, (r) => {
      r.errorMessage = `Error when executing lambda arn:aws:lambda:us-east-2:123456789012:function:rotator:live during ${step} step`;
    });
    expect(findings[0]).toMatchObject({
      title: `Rotation of secret MyDatabaseSecret failed at step ${step} (function rotator)`,
      details: { failedStep: step, rotationLambdaArn: 'arn:aws:lambda:us-east-2:123456789012:function:rotator:live', logGroup: '/aws/lambda/rotator' },
    });
  });

  test('a RotateSecret refused for another reason names it and says to retry', () => {
    const findings = findingsOf(ROTATE, (r) => {
      r.errorCode = 'InvalidRequestException';
      r.errorMessage = "A previous rotation isn't complete. That rotation will be reattempted.";
    });
    expect(findings).toMatchObject([{ check: 'rotation-failed', severity: 'MEDIUM', title: 'RotateSecret on secret myNewSecretName failed: InvalidRequestException' }]);
    expect(findings[0].remediation).toBe(
      'The rotation did not start (InvalidRequestException). Fix the cause given in details.errorMessage, then retry: aws secretsmanager rotate-secret --secret-id myNewSecretName --region us-east-1',
    );
  });

  test('hostile names are quoted in every command', () => {
    const findings = findingsOf(ROTATE, (r) => {
      (r.requestParameters as Record<string, unknown>).secretId = "x'; rm -rf / #";
    });
    expect(findings[0].remediation).toContain("--secret-id 'x'\\''; rm -rf / #'");
  });
});

describe('rotation-disabled', () => {
  const cancel = (r: Record<string, unknown>) => {
    r.eventName = 'CancelRotateSecret';
    r.errorCode = null;
    r.errorMessage = null;
    r.requestParameters = { secretId: 'prod/db' };
    r.responseElements = { arn: 'arn:aws:secretsmanager:us-east-1:200802171337:secret:prod/db-AbCdEf', name: 'prod/db' };
  };

  test('CancelRotateSecret is MEDIUM and says how to turn rotation back on', () => {
    const findings = findingsOf(ROTATE, cancel);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'rotation-disabled', severity: 'MEDIUM', title: 'Automatic rotation of secret prod/db was turned off', details: {} });
    expect(findings[0].remediation).toBe(
      `If this was not intended, turn rotation back on with the function it had: aws secretsmanager rotate-secret --secret-id arn:aws:secretsmanager:us-east-1:200802171337:secret:prod/db-AbCdEf --rotation-rules '{"ScheduleExpression":"rate(90 days)"}' --region us-east-1`,
    );
  });

  test('a refused CancelRotateSecret changed nothing: no finding', () => {
    expect(
      findingsOf(ROTATE, (r) => {
        cancel(r);
        r.errorCode = 'AccessDeniedException';
      }),
    ).toEqual([]);
  });

  test('the owning service cancelling rotation of its own secret is INFO', () => {
    const findings = findingsOf(ROTATE, (r) => {
      cancel(r);
      r.requestParameters = { secretId: 'rds!db-1234' };
      r.responseElements = null;
      r.userIdentity = { invokedBy: 'rds.amazonaws.com' };
    });
    expect(findings).toMatchObject([{ severity: 'INFO', details: { owningService: 'rds.amazonaws.com' } }]);
  });
});
