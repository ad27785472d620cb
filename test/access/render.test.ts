/**
 * The access report as a terminal table and as markdown: every reader on its row, what was not
 * considered after it, and nothing of a hostile policy's control characters on the screen.
 */
import { whoCanRead } from '../../src/access';
import { accessJson, accessMarkdown, accessTable } from '../../src/access/render';
import { Account, allowRead, doc, OTHER, SECRET_ARN } from './accountFixture';

const hostile = `arn:aws:iam::${OTHER}:role/x\u001b[2J\u0007`;
const report = whoCanRead({
  secret: { ARN: SECRET_ARN, Name: 'prod/db' },
  authorizationDetails: new Account().role('app', { inline: { read: doc(allowRead()) } }).pages(),
  resourcePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: hostile }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }),
});

describe('access output', () => {
  it('a table: the heading counts readers and blocked ones, a row per reader, then what was not considered', () => {
    const table = accessTable(report, 200);
    expect(table.split('\n')[0]).toBe(
      `prod/db (${SECRET_ARN}), encrypted with the AWS managed key aws/secretsmanager, with a resource policy: 1 principal(s) can call GetSecretValue, 1 more allowed but blocked`,
    );
    expect(table).toContain('role/app');
    expect(table).toContain('Not considered:\n  - service control policies (SCPs) of AWS Organizations');
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('markdown: a table with escaped cells, then the list of what was not considered', () => {
    const markdown = accessMarkdown(report);
    expect(markdown).toContain('| Principal | Type | Via | Grants (and what still applies) | Assumable by | Blocked by |');
    expect(markdown).toContain('- service control policies (SCPs) of AWS Organizations');
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it('json: the report as one line', () => {
    const json = accessJson(report);
    expect(json.endsWith('\n')).toBe(true);
    expect(json.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(json)).toEqual(report);
  });
});
