/**
 * Member accounts in moto_server for the central scan's tests: moto answers AssumeRole for any
 * account id and keeps each account's secrets apart; it enforces no trust policy, so a refusal is
 * the AccessDenied error STS gives, returned by middleware on the test's STS client.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { memberScanRoleName } from '../../src/runtime/centralScan';
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
