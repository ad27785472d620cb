import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { whoCanRead } from '../../access';
import { readAccessInput } from '../../access/readAccessInput';
import { accessJson, accessMarkdown, accessTable } from '../../access/render';
import type { OutputFormat } from '../../findings/render';
import { CLIENT_OPTIONS } from '../../followups/clientOptions';
import { EXIT, type CliIO } from '../io';

export interface AccessCommandOptions {
  format: OutputFormat;
  region?: string;
  profile?: string;
  endpoint?: string;
}

/**
 * `secretwatch access SECRET`: who can read the secret. Reads the secret, its policy, the
 * account's authorization details and its key once; a secret that cannot be described or IAM
 * that cannot be read is exit 3 with the reason on stderr.
 */
export async function runAccessCommand(secretId: string, opts: AccessCommandOptions, io: CliIO): Promise<number> {
  const config = { ...CLIENT_OPTIONS, region: opts.region, profile: opts.profile, endpoint: opts.endpoint };
  const clients = { secretsManager: new SecretsManagerClient(config), iam: new IAMClient(config), kms: new KMSClient(config) };
  try {
    const input = await readAccessInput(secretId, clients);
    const report = whoCanRead(input);
    const render = opts.format === 'json' ? accessJson : opts.format === 'markdown' ? accessMarkdown : (r: typeof report) => accessTable(r, io.stdout.columns ?? 160);
    io.stdout.write(render(report));
    return EXIT.ok;
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`secretwatch access: ${JSON.stringify(secretId).slice(0, 300)} could not be answered for: ${reason}\n`);
    return EXIT.badInput;
  } finally {
    clients.secretsManager.destroy();
    clients.iam.destroy();
    clients.kms.destroy();
  }
}
