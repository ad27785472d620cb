import { join } from 'node:path';
import { replay } from '../../src/cli/replay/engine';
import { DEFAULT_CONFIG } from '../../src/config/config';
import { commandsIn, splitCommands } from '../../src/findings/commands';
import type { Finding } from '../../src/findings/finding';
import { FIXED_NOW } from '../helpers/fixtures';

test.each([
  [
    'a command in parentheses',
    'Recreate it (aws secretsmanager create-secret --name prod/db --region us-east-1) and rotate it.',
    ['aws secretsmanager create-secret --name prod/db --region us-east-1'],
  ],
  [
    'a command at the end of a sentence keeps its last value, not the full stop',
    'Restore it: aws secretsmanager restore-secret --secret-id arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf --region us-east-1.',
    ['aws secretsmanager restore-secret --secret-id arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf --region us-east-1'],
  ],
  [
    'quoted names with spaces and escaped quotes (shellQuote)',
    "Run aws secretsmanager restore-secret --secret-id 'it'\\''s a name' --region eu-west-1 now",
    ["aws secretsmanager restore-secret --secret-id 'it'\\''s a name' --region eu-west-1"],
  ],
  [
    'flags without values, placeholders and file arguments',
    'Fix it with aws secretsmanager put-resource-policy --secret-id x --block-public-policy --resource-policy file://policy.json then check.',
    ['aws secretsmanager put-resource-policy --secret-id x --block-public-policy --resource-policy file://policy.json'],
  ],
  ['placeholders', 'aws secretsmanager update-secret --secret-id x --kms-key-id <key-arn>', ['aws secretsmanager update-secret --secret-id x --kms-key-id <key-arn>']],
  [
    'two commands in one text',
    'See aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=bob and aws logs tail /aws/lambda/rot --since 2d.',
    ['aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=bob', 'aws logs tail /aws/lambda/rot --since 2d'],
  ],
  ['no command', 'No action needed if the owning resource was removed on purpose.', []],
  ['prose after the operation is not an argument', 'Then aws secretsmanager rotate-secret and wait.', ['aws secretsmanager rotate-secret']],
])('%s', (_name, text, commands) => {
  expect(commandsIn(text)).toEqual(commands);
  expect(
    splitCommands(text)
      .map((p) => p.text)
      .join(''),
  ).toBe(text);
});

test('the remediations of every finding of the sample trail split losslessly into prose and whole commands', async () => {
  const findings: Finding[] = [];
  await replay([join(__dirname, '..', '..', 'samples', 'trail')], { config: DEFAULT_CONFIG, now: FIXED_NOW }, { finding: (f) => findings.push(f) });
  const commands = findings.flatMap((f) => {
    expect(
      splitCommands(f.remediation)
        .map((p) => p.text)
        .join(''),
    ).toBe(f.remediation);
    return commandsIn(f.remediation);
  });
  expect(commands.length).toBeGreaterThan(5);
  for (const command of commands) {
    expect(command).toMatch(/^aws [a-z0-9-]+ [a-z0-9-]+/);
    expect(command).not.toMatch(/[.,;)]$/);
    // Quotes come in pairs: a command is never cut inside a quoted argument.
    expect((command.replace(/'\\''/g, '').match(/'/g) ?? []).length % 2).toBe(0);
  }
});
