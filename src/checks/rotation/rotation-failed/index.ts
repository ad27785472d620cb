import { secretOf } from '../../../events/secret';
import type { Severity } from '../../../findings/severity';
import { findingFromRecord, regionArg, secretIdArg, secretLabel, shellQuote } from '../../finding';
import type { EventCheck } from '../../check';
import { failedRotation, logWindow } from '../rotationFunction';

export const rotationFailed: EventCheck = {
  kind: 'event',
  id: 'rotation-failed',
  family: 'rotation',
  title: 'Secret rotation failed',
  description:
    'A rotation did not complete: the rotation function failed at one of its steps, the service abandoned the rotation, or the RotateSecret call itself was refused. The secret keeps its old value, and the next scheduled rotation is likely to fail the same way.',
  severityRule: 'HIGH for RotationFailed (the function failed); MEDIUM for RotationAbandoned and for a RotateSecret call that failed.',
  severities: ['HIGH', 'MEDIUM'],
  monitor: 'rotationMonitor',
  events: [
    { rule: 'secret-rotation', source: 'aws.secretsmanager', detailTypes: ['AWS Service Event via CloudTrail'], eventNames: ['RotationFailed', 'RotationAbandoned'] },
    { rule: 'secret-rotation', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['RotateSecret'] },
  ],
  settings: [],
  evaluate(record) {
    if (record.eventName === 'RotateSecret' && !record.errorCode) return null;
    const secret = secretOf(record);
    const label = secretLabel(secret);
    const region = regionArg(record.region);
    const { fn, step } = failedRotation(record);
    const severity: Severity = record.eventName === 'RotationFailed' ? 'HIGH' : 'MEDIUM';
    const retry = `aws secretsmanager rotate-secret --secret-id ${secretIdArg(secret)}${region}`;

    let title: string;
    let remediation: string;
    if (record.eventName === 'RotationAbandoned') {
      title = `Rotation of secret ${label} was abandoned`;
      remediation = `A rotation in progress was abandoned, usually because the secret's value was changed by hand (PutSecretValue or UpdateSecret) while it ran. Check that the current value works, then rotate again: ${retry}`;
    } else if (record.eventName === 'RotateSecret') {
      title = `RotateSecret on secret ${label} failed: ${record.errorCode}`;
      remediation =
        /cannot invoke the specified Lambda/i.test(record.errorMessage ?? '') && fn
          ? `Secrets Manager may not invoke the rotation function: allow it, then retry. aws lambda add-permission --function-name ${shellQuote(fn.arn)} --statement-id SecretsManagerRotation --action lambda:InvokeFunction --principal secretsmanager.amazonaws.com${record.account ? ` --source-account ${shellQuote(record.account)}` : ''}${region}; then ${retry}`
          : `The rotation did not start (${record.errorCode}). Fix the cause given in details.errorMessage, then retry: ${retry}`;
    } else {
      title = `Rotation of secret ${label} failed${step ? ` at step ${step}` : ''}${fn ? ` (function ${fn.name})` : ''}`;
      const window = logWindow(record.eventTime);
      remediation = fn
        ? `Read the rotation function's log group ${fn.logGroup} around the failure: aws logs filter-log-events --log-group-name ${shellQuote(fn.logGroup)} --start-time ${window.startMs} --end-time ${window.endMs}${region}. Fix the cause, then rotate again: ${retry}`
        : `Read the rotation function's logs around ${record.eventTime} (see details.errorMessage), fix the cause, then rotate again: ${retry}`;
    }
    return findingFromRecord(this, record, {
      severity,
      title,
      secret,
      details: {
        errorCode: record.errorCode,
        errorMessage: record.errorMessage,
        failedStep: step,
        rotationLambdaArn: fn?.arn ?? null,
        logGroup: fn?.logGroup ?? null,
      },
      remediation,
    });
  },
};
