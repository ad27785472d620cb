/**
 * Security Hub in the packaged template: with securityHub=true every monitor's role may import
 * into the account's default product and read the hub's findings, and nothing else; without it no
 * role has any Security Hub permission and the functions are told it is off.
 */
import { asArray, loadModeTemplate, loadTemplate, referencedId, render, resourcesOfType, type Template, type VariantName } from './packaging';

const PRODUCT = 'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default';
const HUB = 'arn:aws:securityhub:eu-west-1:123456789012:hub/default';

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

function grantsOf(statements: Statement[]): string[] {
  return statements.flatMap((s) => asArray(s.Action).map((a) => `${a} ${render(s.Resource)}`));
}

/** Every "action resource" any role or role policy of the stack grants, by logical id. */
function grantsByRole(t: Template): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  for (const [id, r] of resourcesOfType(t, 'AWS::IAM::Role')) {
    grants.set(id, grantsOf((r.Properties?.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => p.PolicyDocument.Statement)));
  }
  for (const type of ['AWS::IAM::RolePolicy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, p] of resourcesOfType(t, type)) grants.set(id, grantsOf((p.Properties?.PolicyDocument?.Statement ?? []) as Statement[]));
  }
  return grants;
}

function monitorFunctions(t: Template) {
  return resourcesOfType(t, 'AWS::Lambda::Function').filter(([id]) => id !== 'SlackNotifierLambdaFunction');
}

test('securityHub=true: each monitor role may import into the default product and look up the hub, and only there', () => {
  const t = loadTemplate('twoEmails');
  const grants = grantsByRole(t);
  const functions = monitorFunctions(t);
  expect(functions.length).toBeGreaterThanOrEqual(4);
  for (const [, fn] of functions) {
    const role = String(fn.Properties?.Role?.['Fn::GetAtt']?.[0]);
    const securityHub = (grants.get(role) ?? []).filter((g) => g.startsWith('securityhub:'));
    expect({ role, securityHub }).toEqual({ role, securityHub: [`securityhub:BatchImportFindings ${PRODUCT}`, `securityhub:GetFindings ${HUB}`] });
    expect(render(fn.Properties?.Environment?.Variables?.SECURITY_HUB)).toBe('true');
    expect(render(fn.Properties?.Environment?.Variables?.SECURITY_HUB_PRODUCT_ARN)).toBe(PRODUCT);
  }
  // No other role (the Slack notifier, the stack's own) may touch Security Hub.
  const roles = new Set(functions.map(([, fn]) => String(fn.Properties?.Role?.['Fn::GetAtt']?.[0])));
  for (const [id, list] of grants) if (!roles.has(id)) expect({ id, securityHub: list.filter((g) => g.startsWith('securityhub:')) }).toEqual({ id, securityHub: [] });
});

test('slackResolved: the Slack subscription also admits closed findings (resolvedSeverityRank); the emails still filter on severityRank only', () => {
  const t = loadTemplate('twoEmails');
  const subscriptions = resourcesOfType(t, 'AWS::SNS::Subscription');
  const slack = subscriptions.find(([id]) => id === 'SlackAlertSubscription')?.[1];
  expect(slack?.Properties?.FilterPolicy).toEqual({ $or: [{ severityRank: [{ numeric: ['>=', 4] }] }, { resolvedSeverityRank: [{ numeric: ['>=', 4] }] }] });
  const emails = subscriptions.filter(([, s]) => s.Properties?.Protocol === 'email' && referencedId(s.Properties?.TopicArn) === 'AlertTopic');
  expect(emails.length).toBeGreaterThan(0);
  for (const [, s] of emails) expect(Object.keys(s.Properties?.FilterPolicy ?? {})).toEqual(['severityRank']);
  for (const [, fn] of monitorFunctions(t)) expect(fn.Properties?.Environment?.Variables?.SLACK_RESOLVED).toBe('true');
});

test.each(['defaults', 'oneEmail'] satisfies VariantName[])('securityHub off (%s): no role has any Security Hub permission, and the functions know it is off', (variant) => {
  const t = loadTemplate(variant);
  for (const [id, list] of grantsByRole(t)) expect({ id, securityHub: list.filter((g) => /securityhub/i.test(g)) }).toEqual({ id, securityHub: [] });
  for (const [, fn] of monitorFunctions(t)) {
    expect(fn.Properties?.Environment?.Variables?.SECURITY_HUB).toBe('false');
    expect(fn.Properties?.Environment?.Variables?.SECURITY_HUB_PRODUCT_ARN).toBe('');
  }
});

test('a member stack, which runs no monitor, grants no Security Hub permission', () => {
  const t = loadModeTemplate('member');
  for (const [id, list] of grantsByRole(t)) expect({ id, securityHub: list.filter((g) => /securityhub/i.test(g)) }).toEqual({ id, securityHub: [] });
});
