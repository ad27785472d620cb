import { createHash } from 'node:crypto';
import { ACCOUNT_ID, parseArn, REGION_NAME } from '../resources/arn';
import type { ResourceRef } from '../resources/resource';
import { nameFromArn } from '../resources/secret';
import type { Finding } from './finding';

/**
 * The one name of a resource across its spellings: a secret named by its name in one event and by
 * its ARN (full or partial) in the next, or by its ARN in the scan, is the same secret. Secret names
 * are unique in an account and region, so the name is the key; other resources by ARN.
 */
export function resourceKey(resource: ResourceRef): string {
  if (resource.type === 'AwsSecretsManagerSecret') {
    const fromArn = (value: string | null) => {
      if (!value) return null;
      const arn = parseArn(value);
      if (!arn) return null;
      return nameFromArn(value) ?? (arn.resource.startsWith('secret:') ? arn.resource.slice('secret:'.length) : null);
    };
    const key = resource.name ?? fromArn(resource.arn) ?? fromArn(resource.id) ?? resource.id;
    return `${resource.type}:${key ?? 'unknown'}`;
  }
  return `${resource.type}:${resource.arn ?? resource.id ?? resource.name ?? 'unknown'}`;
}

/** What identifies a finding's subject: its check, account, region and resource. */
export interface FindingSubject {
  check: string;
  account: string | null;
  region: string | null;
  resource: ResourceRef;
}

/**
 * The finding's stable identifier: the same for every finding of one check on one resource, so
 * that a repeat (a second public policy, the next scan) updates the earlier record instead of
 * adding one, and a fix can close it. The resource's key is hashed: names are up to 512 characters
 * and chosen by whoever created the secret.
 */
export function findingId(subject: FindingSubject): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([subject.account ?? '', subject.region ?? '', resourceKey(subject.resource)]))
    .digest('hex')
    .slice(0, 32);
  return `secretwatch/${subject.check}/${subject.account ?? 'unknown-account'}/${subject.region ?? 'global'}/${digest}`;
}

export function findingIdOf(finding: Finding): string {
  return findingId(finding);
}

/** The account of a finding: its own, else the one its resource's ARN names; null when neither says. */
export function accountOf(subject: FindingSubject): string | null {
  if (subject.account && ACCOUNT_ID.test(subject.account)) return subject.account;
  const fromArn = parseArn(subject.resource.arn)?.account ?? '';
  return ACCOUNT_ID.test(fromArn) ? fromArn : null;
}

/** The region of a finding: its own, else its resource ARN's; null for neither (IAM resources are global). */
export function regionOf(subject: FindingSubject): string | null {
  if (subject.region && REGION_NAME.test(subject.region)) return subject.region;
  const fromArn = parseArn(subject.resource.arn)?.region ?? '';
  return REGION_NAME.test(fromArn) ? fromArn : null;
}
