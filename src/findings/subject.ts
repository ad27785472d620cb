import type { Finding } from './finding';
import { safeLine } from './safeText';

/** SNS: under 100 characters, printable ASCII, no line breaks; severity first so it reads on a phone. */
export const MAX_SUBJECT_LENGTH = 99;

/**
 * `foreignAccount`: the finding's account when it is not the alert topic's own (a member account's
 * finding in a central stack): named right after the severity, where an inbox of many accounts
 * needs it first.
 */
export function subjectFor(finding: Finding, foreignAccount: string | null = null): string {
  // safeLine first: a control or bidi character shows as its escape rather than vanishing unseen.
  const ascii = safeLine(`[${finding.severity}] ${foreignAccount ? `${foreignAccount}: ` : ''}${finding.title}`)
    .normalize('NFKD')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
  return ascii.length <= MAX_SUBJECT_LENGTH ? ascii : `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3).trimEnd()}...`;
}
