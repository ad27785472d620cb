import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { policyCommands } from '../checks/resource-policy/commands';
import { analysisContext } from '../checks/resource-policy/verdict';
import type { Config } from '../config/config';
import { withDetail, type FindingFollowUp } from '../runtime/followUp';
import { CLIENT_OPTIONS } from './clientOptions';
import { removePublicStatements } from './removePublicStatements';
import type { Finding } from '../findings/finding';

/** The details key it writes. */
const NAME = 'autoRemediation';
/**
 * remediatePublicPolicy: on a secret-policy-public finding, remove the public statements from the
 * secret's current policy. The finding says what was done (details.autoRemediation) and its
 * remediation text starts with it.
 */
export function remediationFollowUp(config: Config, applies: (finding: Finding) => boolean, client: SecretsManagerClient = new SecretsManagerClient(CLIENT_OPTIONS)): FindingFollowUp {
  return {
    name: NAME,
    applies,
    async run(finding, record) {
      const secretId = finding.resource.arn ?? finding.resource.id;
      if (!secretId) {
        return withDetail(
          finding,
          NAME,
          { status: 'failed', reason: 'The event does not name the secret; nothing was changed.' },
          `Not remediated automatically: the event does not name the secret. ${finding.remediation}`,
        );
      }
      const outcome = await removePublicStatements(client, secretId, analysisContext(record, config), record.region);
      if (outcome.status !== 'applied') return withDetail(finding, NAME, outcome, `Not remediated automatically: ${outcome.reason} ${finding.remediation}`);
      const commands = policyCommands(finding.resource, record);
      const readable = finding.details.allowsGetSecretValue === true;
      return withDetail(
        finding,
        NAME,
        outcome,
        `Remediated automatically: ${outcome.reason} Check the result with ${commands.show}.` +
          (readable ? ` Its value may have been read while it was public: rotate it (${commands.rotate}) and look in CloudTrail for GetSecretValue calls from other accounts.` : ''),
      );
    },
  };
}
