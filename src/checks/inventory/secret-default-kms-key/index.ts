import { isoOf } from '../currentValue';
import { findingFromSecret, isDefaultKey, secretArgs } from '../finding';
import type { InventoryCheck } from '../types';

export const secretDefaultKmsKey: InventoryCheck = {
  kind: 'scan',
  id: 'secret-default-kms-key',
  family: 'inventory',
  title: 'Secret encrypted with the AWS managed key',
  description:
    'The secret is encrypted with the AWS managed key aws/secretsmanager, whose key policy you cannot change: anyone in the account with secretsmanager:GetSecretValue can decrypt it, and it cannot be shared across accounts. Only reported when requireCustomerManagedKey is on.',
  severityRule: 'LOW, only when requireCustomerManagedKey is true.',
  severities: ['LOW'],
  monitor: 'inventoryScan',
  events: [],
  settings: ['maxRotationDays', 'requireCustomerManagedKey'],
  evaluate(view, ctx) {
    const { secret } = view;
    if (!ctx.config.requireCustomerManagedKey || !isDefaultKey(secret)) return null;
    return findingFromSecret(this, view, {
      severity: 'LOW',
      title: `Secret ${secret.name} is encrypted with the AWS managed key aws/secretsmanager`,
      nonCompliantSince: secret.createdMs === null ? null : isoOf(secret.createdMs),
      details: { kmsKeyId: secret.kmsKeyId },
      remediation: `Encrypt it with a customer managed key (the current, previous and pending versions are re-encrypted): aws secretsmanager update-secret ${secretArgs(view)} --kms-key-id <key-arn>`,
    });
  },
};
