import type { IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DescribeSecretCommand, GetResourcePolicyCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readAuthorizationDetails } from './readAuthorizationDetails';
import type { AccessInput, SecretKey } from './types';

export interface AccessClients {
  secretsManager: SecretsManagerClient;
  iam: IAMClient;
  kms: KMSClient;
}

/** The AWS managed key of Secrets Manager, as DescribeSecret may name it. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/secretsmanager$/;

/**
 * Everything whoCanRead needs, each read once: DescribeSecret (name or ARN), its resource policy,
 * the account's authorization details and, for a customer managed key, its policy. A key or key
 * policy that cannot be read is carried as its error: the answer then says so instead of failing.
 * DescribeSecret and GetResourcePolicy errors propagate (the secret cannot be answered for).
 */
export async function readAccessInput(secretId: string, clients: AccessClients): Promise<AccessInput> {
  const secret = await clients.secretsManager.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (!secret.ARN) throw new Error(`DescribeSecret returned no ARN for ${JSON.stringify(secretId)}`);
  const [policy, authorizationDetails, key] = await Promise.all([
    clients.secretsManager.send(new GetResourcePolicyCommand({ SecretId: secret.ARN })),
    readAuthorizationDetails(clients.iam),
    readKey(secret.KmsKeyId, clients.kms),
  ]);
  return {
    secret: { ARN: secret.ARN, Name: secret.Name, KmsKeyId: secret.KmsKeyId, Tags: secret.Tags },
    resourcePolicy: policy.ResourcePolicy ?? null,
    authorizationDetails,
    key,
  };
}

async function readKey(keyId: string | undefined, kms: KMSClient): Promise<SecretKey | null> {
  if (!keyId || AWS_MANAGED_ALIAS.test(keyId)) return null;
  let arn = keyId;
  try {
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    arn = KeyMetadata?.Arn ?? keyId;
    if (KeyMetadata?.KeyManager === 'AWS') return { arn, manager: 'AWS', policy: { error: 'an AWS managed key' } };
    const { Policy } = await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata?.KeyId ?? keyId, PolicyName: 'default' }));
    return { arn, manager: 'CUSTOMER', policy: Policy ? { document: Policy } : { error: 'GetKeyPolicy returned no policy' } };
  } catch (error) {
    return { arn, manager: 'CUSTOMER', policy: { error: `could not be read: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` } };
  }
}
