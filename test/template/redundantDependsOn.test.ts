/**
 * serverless/redundantDependsOn.js: the DependsOn entries that a resource's own Ref or Fn::GetAtt
 * already implies are dropped (cfn-lint W3005; moto's CloudFormation rejects them), the others kept;
 * and the packaged template has none left.
 */
import { loadModeTemplate, loadTemplate, referencedId, resourcesOfType } from './packaging';

/* eslint-disable @typescript-eslint/no-require-imports */
const { dropRedundantDependsOn } = require('../../serverless/redundantDependsOn.js');
/* eslint-enable @typescript-eslint/no-require-imports */

test('drops what Ref, Fn::GetAtt (both spellings) and Fn::Sub already imply; keeps the rest, and the key only if something is left', () => {
  const template = {
    Resources: {
      Fn: { Type: 'AWS::Lambda::Function', DependsOn: ['FnLogGroup', 'FnRole'], Properties: { Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] } } },
      Other: { Type: 'AWS::Lambda::Function', DependsOn: 'OtherRole', Properties: { Role: { 'Fn::GetAtt': 'OtherRole.Arn' } } },
      Policy: { Type: 'AWS::SQS::QueuePolicy', DependsOn: ['Queue', 'Topic'], Properties: { Queues: [{ Ref: 'Queue' }], PolicyDocument: { Resource: { 'Fn::Sub': '${Topic}' } } } },
      Alone: { Type: 'AWS::SNS::Topic', DependsOn: 'Queue', Properties: {} },
    },
  };
  expect(dropRedundantDependsOn(template)).toEqual(['Fn -> FnRole', 'Other -> OtherRole', 'Policy -> Queue', 'Policy -> Topic']);
  expect(template.Resources.Fn.DependsOn).toEqual(['FnLogGroup']);
  expect('DependsOn' in template.Resources.Other).toBe(false);
  expect('DependsOn' in template.Resources.Policy).toBe(false);
  expect(template.Resources.Alone.DependsOn).toBe('Queue');
});

test.each([
  ['defaults', () => loadTemplate('defaults')],
  ['twoEmails', () => loadTemplate('twoEmails')],
  ['central', () => loadModeTemplate('central')],
  ['member', () => loadModeTemplate('member')],
])('%s: no function depends explicitly on the role it names, and no resource on what its properties reference', (_name, load) => {
  const template = load();
  for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const role = referencedId(fn.Properties?.Role, 'Arn');
    expect({ id, dependsOnRole: [fn.DependsOn ?? []].flat().includes(role as string) }).toEqual({ id, dependsOnRole: false });
  }
  // Applying the plugin again finds nothing more to drop.
  expect(dropRedundantDependsOn(structuredClone(template))).toEqual([]);
});
