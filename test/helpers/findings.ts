import { deletionChecks } from './checks';
import { runEventChecks } from '../../src/checks/check';
import { parseEvent } from '../../src/events/parse';
import { buildDigest, scanWindow, type Digest } from '../../src/findings/digest';
import { secretResource, type Finding } from '../../src/findings/finding';
import type { SecretRef } from '../../src/resources/secret';
import type { Severity } from '../../src/findings/severity';
import { ctx, derive, sample } from './fixtures';

/** The CRITICAL finding of a real force-deletion (Invictus' dataset), as the deletion checks make it. */
export function forceDeletedFinding(): Finding {
  const [finding] = runEventChecks(deletionChecks, parseEvent(sample('DeleteSecret/invictus-awsds-1.json')).record, ctx());
  if (finding?.check !== 'secret-force-deleted') throw new Error('fixture DeleteSecret/invictus-awsds-1.json no longer gives secret-force-deleted');
  return finding;
}

/**
 * The same deletion with every field a caller controls made hostile: mentions, links, markdown,
 * backticks, shell metacharacters, and a name far past any chat limit.
 */
export function hostileFinding(): Finding {
  const event = derive('DeleteSecret/invictus-awsds-1.json', (r) => {
    const name = `<!channel> *bold* \`tick\` <https://evil.example|click> & '; rm -rf / #${'x'.repeat(3000)}`;
    (r.requestParameters as Record<string, unknown>).secretId = name;
    delete (r.responseElements as Record<string, unknown>).arn;
    delete (r.responseElements as Record<string, unknown>).aRN;
    (r.responseElements as Record<string, unknown>).name = name;
    r.userAgent = '<@U123> `curl evil` & more';
  });
  const [finding] = runEventChecks(deletionChecks, parseEvent(event).record, ctx());
  return finding;
}

/** A digest of `count` scan findings (severities cycling), as the inventory scan builds it. */
export function digestOf(count: number, scope: Digest['scope'] = 'new'): Digest {
  const severities: Severity[] = ['HIGH', 'MEDIUM', 'LOW'];
  const findings: Finding[] = Array.from({ length: count }, (_, i) =>
    makeFinding({
      check: i % 2 ? 'rotation-not-enabled' : 'rotation-overdue',
      severity: severities[i % severities.length],
      title: `Secret app/service-${i} ${i % 2 ? 'has no automatic rotation' : 'was last rotated 200 days ago'}`,
      secret: { arn: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/service-${i}-AbCdEf`, name: `app/service-${i}`, id: null },
      account: '111122223333',
      region: 'eu-west-1',
      actor: null,
      event: null,
      details: { nonCompliantSince: new Date(Date.parse('2024-05-31T12:00:00Z') + i * 1000).toISOString() },
      remediation: `aws secretsmanager rotate-secret --secret-id app/service-${i} --region eu-west-1`,
    }),
  );
  return buildDigest({
    findings,
    newFindings: new Set(findings),
    scope,
    secrets: count + 10,
    account: '111122223333',
    region: 'eu-west-1',
    window: scanWindow(new Date('2024-06-01T00:00:00Z'), 24),
    notifyMinSeverity: 'LOW',
  });
}

/** digestOf(count) as a central scan of `accounts` accounts: the entries alternate between the central account and one member. */
export function centralDigestOf(count: number, accounts = 3): Digest {
  const digest = digestOf(count);
  return { ...digest, accounts, entries: digest.entries.map((e, i) => ({ ...e, account: i % 2 ? '222233334444' : '111122223333' })) };
}

type FindingParts = Omit<Finding, 'resource' | 'description' | 'documentation'> & Partial<Pick<Finding, 'resource' | 'description' | 'documentation'>>;

/** A finding written by hand in a test: its resource is its secret unless it says otherwise, key order as the checks make it. */
export function makeFinding(parts: FindingParts): Finding {
  const { check, severity, title, resource, secret, account, region, actor, event, details, remediation, description, documentation } = parts;
  if (!resource && !secret) throw new Error('makeFinding: a finding needs a resource or a secret');
  return {
    check,
    severity,
    title,
    resource: resource ?? secretResource(secret as SecretRef),
    ...(secret ? { secret } : {}),
    account,
    region,
    actor,
    event,
    details,
    remediation,
    description: description ?? `What ${check} means.`,
    documentation: documentation ?? `docs/alerts.md#${check}`,
  };
}
