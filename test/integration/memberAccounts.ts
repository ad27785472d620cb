/**
 * Member accounts in moto_server for the central scan's tests: moto answers AssumeRole for any
 * account id and keeps each account's secrets apart; it enforces no trust policy, so a refusal is
 * the AccessDenied error STS gives, returned by middleware on the test's STS client.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { memberScanRoleName } from '../../src/runtime/scanRoleName';
import { MOTO_ACCOUNT, MOTO_REGION, type Moto } from './motoServer';

export const MEMBER_A = '222233334444';
export const MEMBER_B = '333344445555';
export const DENIED = '444455556666';
export const ROLE_NAME = memberScanRoleName('dev', MOTO_REGION);

/** A Secrets Manager client in `account`, through the same AssumeRole the scan makes. */
export async function clientIn(moto: Moto, account: string): Promise<SecretsManagerClient> {
  const sts = new STSClient(moto.clientConfig());
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE_NAME}`, RoleSessionName: 'seed' }));
  sts.destroy();
  const c = out.Credentials!;
  return new SecretsManagerClient({ ...moto.clientConfig(), credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });
}

/** An STS client (the environment's: moto) that refuses AssumeRole into DENIED, and records every role asked for. */
export function refusingSts(): { sts: STSClient; assumed: string[] } {
  const sts = new STSClient({});
  const assumed: string[] = [];
  sts.middlewareStack.add(
    (next) => async (args) => {
      const roleArn = String((args.input as { RoleArn?: string }).RoleArn ?? '');
      assumed.push(roleArn);
      if (roleArn.includes(`::${DENIED}:`)) {
        throw Object.assign(new Error(`User: arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/central/scan is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`), {
          name: 'AccessDenied',
          $metadata: { httpStatusCode: 403 },
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'refuseDeniedAccount' },
  );
  return { sts, assumed };
}

/**
 * The accounts of the central scan tests: the central account (moto's default) with one secret,
 * MEMBER_A with two and MEMBER_B with three, none rotating (rotation-not-enabled for each, in its
 * own account); the alert topic and a queue subscribed to it, where the digest arrives.
 */
export async function seedCentralScan(moto: Moto): Promise<{ topicArn: string; alertQueueUrl: string }> {
  const own = new SecretsManagerClient(moto.clientConfig());
  await own.send(new CreateSecretCommand({ Name: 'central/db', SecretString: 'x' }));
  own.destroy();
  for (const [account, names] of [
    [MEMBER_A, ['a/one', 'a/two']],
    [MEMBER_B, ['b/one', 'b/two', 'b/three']],
  ] as const) {
    const client = await clientIn(moto, account);
    for (const name of names) await client.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    client.destroy();
  }
  const sns = new SNSClient(moto.clientConfig());
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: 'secretwatch-alerts' }))).TopicArn!;
  const sqs = new SQSClient(moto.clientConfig());
  const alertQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'alert-subscriber' }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: alertQueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn }));
  sqs.destroy();
  sns.destroy();
  return { topicArn, alertQueueUrl };
}
