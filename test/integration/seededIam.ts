/**
 * An account's IAM seeded in moto_server with real IAM calls: roles (one trusted by an outside
 * account, one reading through an AWS managed policy), users, a group, a customer managed policy.
 */
import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  type IAMClient,
  PutGroupPolicyCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { MOTO_ACCOUNT } from './motoServer';

/** The account outside the trusted set that may assume vendor-access and auditor. */
export const OUTSIDE = '999988887777';
export const READ_WRITE = 'arn:aws:iam::aws:policy/SecretsManagerReadWrite';
export const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trust = (principal: object, extra: object = {}) => policy({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
export const iamArn = (kind: 'role' | 'user', name: string) => `arn:aws:iam::${MOTO_ACCOUNT}:${kind}/${name}`;

export async function seedAccount(iam: IAMClient): Promise<void> {
  const role = async (name: string, trustPolicy: string) => iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustPolicy }));
  await role('app-reader', trust({ Service: 'ec2.amazonaws.com' }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'app-reader',
      PolicyName: 'read-prod',
      PolicyDocument: policy({ Sid: 'ReadProd', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: `arn:aws:secretsmanager:*:${MOTO_ACCOUNT}:secret:prod/*` }),
    }),
  );
  // Trusted by an account outside the organization, and reads every secret through an AWS managed policy.
  await role('vendor-access', trust({ AWS: `arn:aws:iam::${OUTSIDE}:root` }, { Condition: { StringEquals: { 'sts:ExternalId': 'vendor-7' } } }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'vendor-access', PolicyArn: READ_WRITE }));
  // The same managed policy, and a Deny on prod/*: reads only other secrets.
  await role('ops', trust({ AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'ops', PolicyArn: READ_WRITE }));
  await iam.send(
    new PutRolePolicyCommand({ RoleName: 'ops', PolicyName: 'no-prod', PolicyDocument: policy({ Effect: 'Deny', Action: 'secretsmanager:*', Resource: 'arn:aws:secretsmanager:*:*:secret:prod/*' }) }),
  );
  // Trusted by an outside account but reads nothing.
  await role('auditor', trust({ AWS: `arn:aws:iam::${OUTSIDE}:root` }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'auditor',
      PolicyName: 'list',
      PolicyDocument: policy({ Effect: 'Allow', Action: ['secretsmanager:ListSecrets', 'secretsmanager:DescribeSecret'], Resource: '*' }),
    }),
  );

  await iam.send(new CreateGroupCommand({ GroupName: 'dba' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'dba', PolicyName: 'dba-read', PolicyDocument: policy({ Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' }) }));
  for (const user of ['alice', 'bob', 'carol']) await iam.send(new CreateUserCommand({ UserName: user }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'dba', UserName: 'alice' }));
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'payments-read',
      PolicyDocument: policy({ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: '*', Condition: { StringEquals: { 'secretsmanager:ResourceTag/team': 'payments' } } }),
    }),
  );
  await iam.send(new AttachUserPolicyCommand({ UserName: 'carol', PolicyArn: Policy?.Arn }));
}
