import { secretOf } from '../../../events/secret';
import { calledByOwningService } from '../../owningService';
import { findingFromRecord, regionArg, secretIdArg, secretLabel, shellQuote } from '../../finding';
import type { EventCheck } from '../../check';
import { longestIntervalDays, parseRotationSchedule, rotationRulesOf } from '../schedule';

export const rotationScheduleTooLong: EventCheck = {
  kind: 'event',
  id: 'rotation-schedule-too-long',
  family: 'rotation',
  title: 'Rotation schedule longer than the policy allows',
  description:
    'Rotation was configured with a schedule (AutomaticallyAfterDays, rate() or cron()) that lets a value live longer than maxRotationDays. Rotation is on, but not often enough for the policy; the scan will report the secret as rotation-overdue once its value is that old.',
  severityRule: 'MEDIUM when the longest interval of the schedule exceeds maxRotationDays (default 90); INFO when the owning service of a managed secret set it.',
  severities: ['MEDIUM', 'INFO'],
  monitor: 'rotationMonitor',
  events: [{ rule: 'secret-rotation', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['RotateSecret'] }],
  settings: ['maxRotationDays'],
  evaluate(record, ctx) {
    if (record.errorCode) return null;
    const rules = rotationRulesOf(record.requestParameters.rotationRules);
    const schedule = rules ? parseRotationSchedule(rules) : null;
    // An expression the service accepted but this parser cannot read gets no verdict: the scan
    // still measures the value's real age.
    if (!schedule || schedule.kind === 'unreadable') return null;
    const days = longestIntervalDays(schedule, Date.parse(record.eventTime));
    const max = ctx.config.maxRotationDays;
    if (days <= max) return null;
    const secret = secretOf(record);
    const owner = calledByOwningService(record, secret);
    const shown = Number.isFinite(days) ? `${Math.round(days * 10) / 10} days` : 'never again';
    return findingFromRecord(this, record, {
      severity: owner ? 'INFO' : 'MEDIUM',
      title: `Secret ${secretLabel(secret)} rotates on ${schedule.expression}: up to ${shown}, over the ${max}-day limit`,
      secret,
      details: {
        scheduleExpression: schedule.expression,
        longestIntervalDays: Number.isFinite(days) ? days : null,
        maxRotationDays: max,
        ...(owner ? { owningService: owner } : {}),
      },
      remediation: `Shorten the schedule: aws secretsmanager rotate-secret --secret-id ${secretIdArg(secret)} --rotation-rules ${shellQuote(`{"ScheduleExpression":"rate(${max} days)"}`)} --no-rotate-immediately${regionArg(record.region)}`,
    });
  },
};
