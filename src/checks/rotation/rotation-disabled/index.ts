import { secretOf } from '../../../events/secret';
import { calledByOwningService } from '../../owningService';
import { findingFromRecord, regionArg, secretIdArg, secretLabel, shellQuote } from '../../finding';
import type { EventCheck } from '../../check';

export const rotationDisabled: EventCheck = {
  kind: 'event',
  id: 'rotation-disabled',
  family: 'rotation',
  title: 'Secret rotation turned off',
  description:
    'Automatic rotation of a secret was cancelled (CancelRotateSecret). Its value now lives until someone changes it by hand, and the scan will report it as rotation-not-enabled and, in time, rotation-overdue.',
  severityRule: 'MEDIUM; INFO when the service that owns a managed secret cancelled it itself.',
  severities: ['MEDIUM', 'INFO'],
  monitor: 'rotationMonitor',
  events: [{ rule: 'secret-rotation', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['CancelRotateSecret'] }],
  settings: ['maxRotationDays'],
  evaluate(record, ctx) {
    if (record.errorCode) return null;
    const secret = secretOf(record);
    const owner = calledByOwningService(record, secret);
    const label = secretLabel(secret);
    return findingFromRecord(this, record, {
      severity: owner ? 'INFO' : 'MEDIUM',
      title: owner ? `Managed secret ${label}: rotation cancelled by its owning service ${owner}` : `Automatic rotation of secret ${label} was turned off`,
      secret,
      details: owner ? { owningService: owner } : {},
      remediation: owner
        ? 'No action needed if the owning resource changed its rotation on purpose.'
        : `If this was not intended, turn rotation back on with the function it had: aws secretsmanager rotate-secret --secret-id ${secretIdArg(secret)} --rotation-rules ${shellQuote(`{"ScheduleExpression":"rate(${ctx.config.maxRotationDays} days)"}`)}${regionArg(record.region)}`,
    });
  },
};
