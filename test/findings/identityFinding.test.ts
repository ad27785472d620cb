/**
 * An identity-policy finding is about an IAM role or policy, not a secret: every channel names the
 * principal as such, shows the undo command as a command, and offers no Secrets Manager console link.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityPolicyReadsAllSecrets } from '../../src/checks/registry';
import { DEFAULT_CONFIG } from '../../src/config/config';
import { parseEvent } from '../../src/events/parse';
import { emailText } from '../../src/findings/email';
import type { Finding } from '../../src/findings/finding';
import { findingsMarkdown, findingsTable } from '../../src/findings/render';
import { slackFindingMessage } from '../../src/findings/slack';
import { awsManagedPolicyLookup } from '../../src/resources/awsManagedPolicies';

const EVENTS = join(__dirname, '..', '..', 'src', 'checks', 'identity-policy', 'identity-policy-reads-all-secrets', 'events');

function finding(file: string): Finding {
  const { record } = parseEvent(JSON.parse(readFileSync(join(EVENTS, file), 'utf8')));
  const found = identityPolicyReadsAllSecrets.evaluate(record, { config: DEFAULT_CONFIG, now: new Date('2024-06-01T00:00:00Z'), policies: awsManagedPolicyLookup() });
  if (!found) throw new Error(`${file}: no finding`);
  return found;
}

const role = finding('derived-iam-01-role-inline-star.json');
const policy = finding('derived-iam-15-policy-version-default.json');

test('email: the role by kind and ARN, the undo command on a line of its own, no console link', () => {
  const text = emailText(role);
  expect(text).toContain('Role       ci-deploy');
  expect(text).toContain('ARN        arn:aws:iam::123456789012:role/ci-deploy');
  expect(text).toContain('\n  aws iam delete-role-policy --role-name ci-deploy --policy-name AdminAccess\n');
  expect(text).not.toMatch(/^(Secret|Console:)/m);
  expect(emailText(policy)).toContain('Policy     DevSvcPolicy');
});

test('Slack: the principal field, the command as code, the ARN in the footer, no console link', () => {
  const message = JSON.stringify(slackFindingMessage(role));
  expect(message).toContain('*Role*\\n`ci-deploy`');
  expect(message).toContain('`aws iam delete-role-policy --role-name ci-deploy --policy-name AdminAccess`');
  expect(message).toContain('`arn:aws:iam::123456789012:role/ci-deploy`');
  expect(message).not.toContain('Secrets Manager console');
});

test('table and markdown: the resource column names the role and the policy', () => {
  const table = findingsTable([role, policy], 200);
  expect(table).toContain('ci-deploy');
  expect(table).toContain('DevSvcPolicy');
  const markdown = findingsMarkdown([role]);
  expect(markdown).toContain('| identity-policy-reads-all-secrets | ci-deploy | 123456789012 us-east-1 |');
  expect(markdown).toContain('aws iam delete-role-policy --role-name ci-deploy --policy-name AdminAccess');
});
