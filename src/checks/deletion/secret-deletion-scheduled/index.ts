import { secretOf } from '../../../events/secret';
import { parseDeletionDate, toIsoSeconds } from '../../../events/time';
import { findingFromRecord, regionArg, secretIdArg, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';
import { calledByOwningService } from '../../owningService';
import { isForceDelete, recoveryWindowDays } from '../ownership';

export const secretDeletionScheduled: EventCheck = {
  kind: 'event',
  id: 'secret-deletion-scheduled',
  family: 'deletion',
  title: 'Secret scheduled for deletion',
  description: 'A secret was scheduled for deletion. It can be restored until its deletion date; after that it is gone, and reads of it fail already now.',
  severityRule: 'HIGH when the recovery window is shorter than minRecoveryWindowDays (default 30), else MEDIUM; INFO when the owning service of a managed secret scheduled it.',
  severities: ['HIGH', 'MEDIUM', 'INFO'],
  monitor: 'deletionMonitor',
  events: [{ rule: 'secret-deletion', source: 'aws.secretsmanager', detailTypes: ['AWS API Call via CloudTrail'], eventNames: ['DeleteSecret'] }],
  settings: ['minRecoveryWindowDays'],
  evaluate(record, ctx) {
    if (record.errorCode || isForceDelete(record)) return null;
    const secret = secretOf(record);
    const window = recoveryWindowDays(record);
    const deletionDate = parseDeletionDate(record.responseElements.deletionDate) ?? toIsoSeconds(new Date(Date.parse(record.eventTime) + window * 86_400_000));
    const owner = calledByOwningService(record, secret);
    const short = window < ctx.config.minRecoveryWindowDays;
    const label = secretLabel(secret);
    return findingFromRecord(this, record, {
      severity: owner ? 'INFO' : short ? 'HIGH' : 'MEDIUM',
      title: `Secret ${label} scheduled for deletion on ${deletionDate.slice(0, 10)} (${window}-day window)`,
      secret,
      details: {
        deletionDate,
        recoveryWindowInDays: window,
        minRecoveryWindowDays: ctx.config.minRecoveryWindowDays,
        ...(owner ? { owningService: owner } : {}),
      },
      remediation: `If this was not intended, restore it before ${deletionDate}: aws secretsmanager restore-secret --secret-id ${secretIdArg(secret)}${regionArg(record.region)}`,
    });
  },
};
