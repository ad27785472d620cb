import { checkById } from '../../src/checks';
import { publishInput } from '../../src/delivery/sns';
import { emailText } from '../../src/findings/email';
import { subjectFor } from '../../src/findings/subject';
import { forceDeletedFinding, hostileFinding } from '../helpers/findings';

describe('the email of a finding', () => {
  const finding = forceDeletedFinding();
  const text = emailText(finding);
  const lines = text.split('\n');

  test('opens with severity and title, then what it means', () => {
    expect(lines[0]).toBe(`CRITICAL: ${finding.title}`);
    expect(lines[2]).toBe(checkById('secret-force-deleted')?.description);
  });

  test('gives secret, account, region, who, from where and when, in UTC', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        'Secret     stratus-red-team-retrieve-secret-7',
        'Account    123837392027',
        'Region     us-east-1',
        'Who        arn:aws:iam::123837392027:user/bert-jan from 192.168.10.20',
        'When       2023-07-10 12:07:59 UTC',
      ]),
    );
  });

  test('puts each remediation command on a line of its own, for copying', () => {
    const at = lines.indexOf('What to do:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at)).toContain('  aws secretsmanager create-secret --name stratus-red-team-retrieve-secret-7 --region us-east-1');
    expect(lines).toContain('Console: https://us-east-1.console.aws.amazon.com/secretsmanager/secret?name=stratus-red-team-retrieve-secret-7&region=us-east-1');
  });

  test('the SNS message gives email subscribers this text, and a subject under 100 characters, severity first', () => {
    const input = publishInput(`arn:aws:sns:us-east-1:${finding.account}:t`, finding);
    expect(JSON.parse(input.Message).email).toBe(text);
    expect(input.Subject).toBe(subjectFor(finding));
    expect(input.Subject.length).toBeLessThan(100);
    expect(input.Subject.startsWith('[CRITICAL] ')).toBe(true);
  });

  test('a hostile name stays one value on its line (no line breaks injected)', () => {
    const h = hostileFinding();
    const forged = { ...h, resource: { ...h.resource, name: 'prod/db\nWho        arn:aws:iam::111122223333:user/innocent' } };
    const hostileLines = emailText(forged).split('\n');
    expect(hostileLines.filter((l) => l.startsWith('Secret ')).length).toBe(1);
    expect(hostileLines.filter((l) => l.startsWith('Who ')).length).toBe(1);
    expect(subjectFor(forged).length).toBeLessThan(100);
  });
});
