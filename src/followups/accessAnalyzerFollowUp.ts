import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { Finding } from '../findings/finding';
import { withDetail, type FindingFollowUp } from '../runtime/followUp';
import { checkNoPublicAccess } from './accessAnalyzerOpinion';
import { CLIENT_OPTIONS } from './clientOptions';
import { policyText } from './policyText';

/** The details key it writes. */
const NAME = 'accessAnalyzer';
/** SecretWatch's own verdict: public or not, or null when it could not analyse the policy. */
function ownVerdict(finding: Finding): boolean | null {
  if (finding.check === 'secret-policy-public') return true;
  return 'parseError' in finding.details ? null : false;
}

/**
 * confirmWithAccessAnalyzer: IAM Access Analyzer's CheckNoPublicAccess on the event's new policy,
 * as details.accessAnalyzer. When the two verdicts differ, the title and the remediation say so
 * first: one of the two is wrong, and a person should look.
 */
export function accessAnalyzerFollowUp(applies: (finding: Finding) => boolean, client: AccessAnalyzerClient = new AccessAnalyzerClient(CLIENT_OPTIONS)): FindingFollowUp {
  return {
    name: NAME,
    applies,
    async run(finding, record) {
      const policy = policyText(record.requestParameters.resourcePolicy);
      if (policy === null) return withDetail(finding, NAME, { status: 'skipped', reason: 'the event carries no policy to check' });
      const opinion = await checkNoPublicAccess(client, policy);
      if (opinion.status !== 'checked') return withDetail(finding, NAME, opinion);
      const ours = ownVerdict(finding);
      if (ours === null) {
        const note = `SecretWatch could not analyse the policy; IAM Access Analyzer ${opinion.public ? 'finds it public' : 'finds no public access'}.`;
        return withDetail(finding, NAME, { ...opinion, agrees: null, note }, `${note} ${finding.remediation}`);
      }
      if (ours === opinion.public) return withDetail(finding, NAME, { ...opinion, agrees: true });
      const disagreement = ours
        ? 'IAM Access Analyzer disagrees: it finds no public access in this policy (PASS), SecretWatch does.'
        : 'IAM Access Analyzer disagrees: it finds this policy public (FAIL), SecretWatch does not.';
      return {
        ...withDetail(finding, NAME, { ...opinion, agrees: false, disagreement }, `${disagreement} Review the policy by hand. ${finding.remediation}`),
        title: `${finding.title} (IAM Access Analyzer disagrees)`,
      };
    },
  };
}
