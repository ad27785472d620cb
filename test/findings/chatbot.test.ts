import { CHATBOT_DESCRIPTION_MAX, chatbotDigestNotification, chatbotNotification } from '../../src/findings/chatbot';
import { centralDigestOf, digestOf, forceDeletedFinding, hostileFinding } from '../helpers/findings';

// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html: version "1.0", source
// "custom", content.textType "client-markdown", additionalContext values are strings.
function expectChatbotShape(n: ReturnType<typeof chatbotNotification>): void {
  expect(n.version).toBe('1.0');
  expect(n.source).toBe('custom');
  expect(n.content.textType).toBe('client-markdown');
  expect(n.content.title.length).toBeGreaterThan(0);
  expect(n.content.title.length).toBeLessThanOrEqual(250);
  expect(n.content.description.length).toBeLessThanOrEqual(CHATBOT_DESCRIPTION_MAX);
  for (const value of Object.values(n.metadata.additionalContext)) expect(typeof value).toBe('string');
  for (const step of n.content.nextSteps ?? []) expect(typeof step).toBe('string');
}

describe('a finding for AWS Chatbot', () => {
  const finding = forceDeletedFinding();
  const n = chatbotNotification(finding);

  test('has the custom-notification shape, severity first in the title', () => {
    expectChatbotShape(n);
    expect(n.content.title).toBe(`:rotating_light: CRITICAL: ${finding.title}`);
    expect(n.id).toBe('dbf59de5-4d63-4aca-9fce-a657f5df89c9:secret-force-deleted');
    expect(n.metadata).toEqual({
      summary: `CRITICAL: ${finding.title}`,
      eventType: 'secret-force-deleted',
      relatedResources: [finding.secret?.arn],
      additionalContext: { check: 'secret-force-deleted', severity: 'CRITICAL', secretArn: finding.secret?.arn, eventId: 'dbf59de5-4d63-4aca-9fce-a657f5df89c9' },
    });
  });

  test('says what, where, who, when, what it means and what to do, with the command as a next step', () => {
    expect(n.content.description).toContain('*Secret* `stratus-red-team-retrieve-secret-7`');
    expect(n.content.description).toContain('*Who* `arn:aws:iam::123837392027:user/bert-jan` from `192.168.10.20`');
    expect(n.content.description).toContain('*What it means* A secret was deleted with ForceDeleteWithoutRecovery');
    expect(n.content.description).toContain('|Open in the Secrets Manager console>');
    expect(n.content.nextSteps).toEqual(['`aws secretsmanager create-secret --name stratus-red-team-retrieve-secret-7 --region us-east-1`']);
  });

  test('hostile values cannot mention or link', () => {
    const h = chatbotNotification(hostileFinding());
    expectChatbotShape(h);
    const text = `${h.content.title}\n${h.content.description}\n${(h.content.nextSteps ?? []).join('\n')}`;
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).not.toContain('<https://evil');
  });
});

describe('a scan digest for AWS Chatbot', () => {
  test.each([0, 3, 2000])('%i entries: one notification within the description limit, the rest counted', (count) => {
    const n = chatbotDigestNotification(digestOf(count));
    expectChatbotShape(n);
    const shown = (n.content.description.match(/`app\/service-\d+`/g) ?? []).length;
    const more = /…and (\d+) more/.exec(n.content.description);
    expect(shown + Number(more?.[1] ?? 0)).toBe(count);
    if (count === 0) expect(n.content.description).toContain('No findings');
  });

  test('a central scan: the accounts counted, each entry led by its account', () => {
    const n = chatbotDigestNotification(centralDigestOf(2));
    expectChatbotShape(n);
    expect(n.content.description).toContain('*Accounts* 3 (central `111122223333`)');
    expect(n.content.description).toMatch(/\*HIGH\* `111122223333` `app\/service-0`/);
    expect(n.content.description).toMatch(/\*MEDIUM\* `222233334444` `app\/service-1`/);
  });
});
