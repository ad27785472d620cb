import { secretOf } from '../../../events/secret';
import { findingFromRecord, secretLabel } from '../../finding';
import type { EventCheck } from '../../check';
import { policyCommands } from '../commands';
import { policyChangeEvents } from '../events';

export const secretPolicyDeleted: EventCheck = {
  kind: 'event',
  id: 'secret-policy-deleted',
  family: 'resource-policy',
  title: 'Secret resource policy deleted',
  description:
    "A secret's resource policy was deleted. Access now comes only from identity policies in the owner's account; anyone the policy used to let in from elsewhere has lost it, which can break a cross-account consumer.",
  severityRule: 'LOW',
  severities: ['LOW'],
  monitor: 'policyMonitor',
  events: policyChangeEvents('DeleteResourcePolicy'),
  settings: [],
  evaluate(record) {
    if (record.errorCode) return null;
    const secret = secretOf(record);
    return findingFromRecord(this, record, {
      severity: 'LOW',
      title: `Resource policy of secret ${secretLabel(secret)} deleted`,
      secret,
      remediation: `No action needed if it was intended. To put a policy back: ${policyCommands(secret, record).put}`,
    });
  },
};
