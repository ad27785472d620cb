import type { Config } from '../../config/config';
import type { InventorySecret } from '../../resources/secret';
import { longestIntervalDays, parseRotationSchedule } from '../rotation/schedule';

export const EXEMPT_TAG = 'secretwatch:exempt';
export const MAX_ROTATION_DAYS_TAG = 'secretwatch:max-rotation-days';
/** The same bounds as the maxRotationDays setting. */
const MAX_TAG_DAYS = 3650;
/** A managed secret's own schedule plus this much before its value counts as overdue. */
const OWNING_SERVICE_GRACE_DAYS = 1;

/** A tag whose value could not be used: reported to the operator, never a crash. */
export interface TagIssue {
  arn: string;
  name: string;
  tag: string;
  value: string;
  message: string;
}

export interface SecretSettings {
  /** The exempt tag's value ("" counts: any value exempts). */
  exemptReason: string | null;
  maxRotationDays: number;
  maxRotationDaysSource: 'config' | 'tag' | 'owning service schedule';
  issues: TagIssue[];
}

/** Tag keys are case-sensitive in AWS; people are not, so the keys match in any case. */
function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  if (key in tags) return tags[key];
  for (const k in tags) if (k.length === key.length && k.toLowerCase() === key) return tags[k];
  return undefined;
}

/** Most secrets have no tag problem: they share this empty list instead of allocating one each. */
const NO_ISSUES: TagIssue[] = Object.freeze([]) as unknown as TagIssue[];

/**
 * How the scan treats one secret: `secretwatch:exempt` (any value) exempts it; a valid
 * `secretwatch:max-rotation-days` overrides maxRotationDays; a managed secret with rotation on is
 * held to its owning service's own schedule. A bad tag value is reported and the default applies.
 */
export function secretSettings(secret: InventorySecret, config: Config, nowMs: number): SecretSettings {
  let issues = NO_ISSUES;
  const exempt = tagValue(secret.tags, EXEMPT_TAG);
  const override = tagValue(secret.tags, MAX_ROTATION_DAYS_TAG);
  if (override !== undefined) {
    const text = override.trim();
    const days = /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isInteger(days) && days >= 1 && days <= MAX_TAG_DAYS) {
      return { exemptReason: exempt ?? null, maxRotationDays: days, maxRotationDaysSource: 'tag', issues };
    }
    issues = [
      {
        arn: secret.arn,
        name: secret.name,
        tag: MAX_ROTATION_DAYS_TAG,
        value: override,
        message: `not a whole number of days from 1 to ${MAX_TAG_DAYS}; maxRotationDays (${config.maxRotationDays}) applies`,
      },
    ];
  }
  if (secret.owningService && secret.rotationEnabled && secret.rotationRules) {
    const schedule = parseRotationSchedule(secret.rotationRules);
    if (schedule && schedule.kind !== 'unreadable') {
      // Measured from the secret's own last rotation, not from the clock: its limit, and so the
      // moment it becomes overdue, must not move from one scan to the next.
      const days = longestIntervalDays(schedule, secret.lastRotatedMs ?? secret.createdMs ?? nowMs);
      if (Number.isFinite(days)) {
        return { exemptReason: exempt ?? null, maxRotationDays: days + OWNING_SERVICE_GRACE_DAYS, maxRotationDaysSource: 'owning service schedule', issues };
      }
    }
  }
  return { exemptReason: exempt ?? null, maxRotationDays: config.maxRotationDays, maxRotationDaysSource: 'config', issues };
}
