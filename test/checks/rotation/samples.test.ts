import { rotationChecks } from '../../helpers/checks';
import { runEventChecks } from '../../../src/checks/check';
import { parseEvent } from '../../../src/events/parse';
import { rotationMonitor } from '../../../src/monitors';
import { EventRouter } from '../../../src/monitors/router';
import { allSamples, ctx, expectSampleVerdict, sample, samplesOf } from '../../helpers/fixtures';

// Every real rotation record in the samples (RotationFailed, RotateSecret, RotationSucceeded) and
// the finding it must give, field by field.
const expected: Record<string, object | null> = {
  'RotationFailed/awsdocs-smdocs-1.json': {
    check: 'rotation-failed',
    severity: 'HIGH',
    title: 'Rotation of secret MyDatabaseSecret failed at step setSecret (function SecretsManagertest-alternating-users-rotation2)',
    secret: {
      arn: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3',
      name: 'MyDatabaseSecret',
      id: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3',
    },
    account: '123456789012',
    region: 'us-east-2',
    // A service event: the service is the actor.
    actor: { arn: 'secretsmanager.amazonaws.com', type: 'AWSService', sourceIp: 'secretsmanager.amazonaws.com', userAgent: 'secretsmanager.amazonaws.com' },
    event: { id: 'EXAMPLE3-90ab-cdef-fedc-ba987EXAMPLE', name: 'RotationFailed', time: '2022-09-13T02:17:48Z' },
    details: {
      errorCode: null,
      errorMessage: 'Error when executing lambda arn:aws:lambda:us-east-2:123456789012:function:SecretsManagertest-alternating-users-rotation2 during setSecret step',
      failedStep: 'setSecret',
      rotationLambdaArn: 'arn:aws:lambda:us-east-2:123456789012:function:SecretsManagertest-alternating-users-rotation2',
      logGroup: '/aws/lambda/SecretsManagertest-alternating-users-rotation2',
    },
    // The log window is 15 minutes before to 5 minutes after 2022-09-13T02:17:48Z, in epoch ms.
    remediation:
      "Read the rotation function's log group /aws/lambda/SecretsManagertest-alternating-users-rotation2 around the failure: aws logs filter-log-events --log-group-name /aws/lambda/SecretsManagertest-alternating-users-rotation2 --start-time 1663034568000 --end-time 1663035768000 --region us-east-2. Fix the cause, then rotate again: aws secretsmanager rotate-secret --secret-id arn:aws:secretsmanager:us-east-2:123456789012:secret:MyDatabaseSecret-a1b2c3 --region us-east-2",
  },
  'RotateSecret/permiso-ccc-1.json': {
    check: 'rotation-failed',
    severity: 'MEDIUM',
    title: 'RotateSecret on secret myNewSecretName failed: AccessDenied',
    secret: { arn: null, name: 'myNewSecretName', id: 'myNewSecretName' },
    region: 'us-east-1',
    event: { id: '516b1e90-935b-4575-8b76-32e062d84e7a', name: 'RotateSecret', time: '2023-12-08T04:03:54Z' },
    details: {
      errorCode: 'AccessDenied',
      errorMessage: 'Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com.',
      failedStep: null,
      rotationLambdaArn: 'arn:aws:lambda:us-east-1:200802171337:function:testfunction',
      logGroup: '/aws/lambda/testfunction',
    },
    remediation:
      'Secrets Manager may not invoke the rotation function: allow it, then retry. aws lambda add-permission --function-name arn:aws:lambda:us-east-1:200802171337:function:testfunction --statement-id SecretsManagerRotation --action lambda:InvokeFunction --principal secretsmanager.amazonaws.com --region us-east-1; then aws secretsmanager rotate-secret --secret-id myNewSecretName --region us-east-1',
  },
  // A rotation that worked: nothing to report.
  'RotationSucceeded/awsblog-rdsmultiuser-1.json': null,
};

describe('rotation checks on the real samples', () => {
  test('every rotation sample has an expectation', () => {
    const all = [...samplesOf('RotationFailed'), ...samplesOf('RotateSecret'), ...samplesOf('RotationSucceeded')];
    expect(Object.keys(expected).sort()).toEqual(all.sort());
  });

  test.each(Object.entries(expected))('%s', (path, finding) => {
    expectSampleVerdict(rotationChecks, path, finding);
  });

  test('the rule delivers the rotation records with findings to rotationMonitor, as EventBridge would', () => {
    const router = new EventRouter([rotationMonitor]);
    for (const path of Object.keys(expected)) {
      const routed = router.route(parseEvent(sample(path))).map((m) => m.name);
      expect({ path, routed }).toEqual({ path, routed: expected[path] ? ['rotationMonitor'] : [] });
    }
  });

  test('no other sample gives a rotation finding or reaches rotationMonitor', () => {
    const router = new EventRouter([rotationMonitor]);
    const others = allSamples().filter((path) => !(path in expected));
    expect(others.length).toBeGreaterThan(20);
    for (const path of others) {
      const event = parseEvent(sample(path));
      expect({ path, findings: runEventChecks(rotationChecks, event.record, ctx()) }).toEqual({ path, findings: [] });
      expect({ path, routed: router.route(event).length }).toEqual({ path, routed: 0 });
    }
  });
});
