import table from './awsManagedPolicies.json';
import { parseArn } from './arn';
import type { PolicyDocumentLookup, PolicyLookupResult } from './policyDocuments';

interface ShippedPolicy {
  versionId: string;
  updated: string | null;
  statements: unknown[];
}

const POLICIES = new Map(Object.entries(table.policies as Record<string, ShippedPolicy>));
const GRANT_NOTHING = new Set(table.grantNothing);

/** Where the shipped documents come from and when they were taken, for the finding's details and the docs. */
export const AWS_MANAGED_POLICY_TABLE = { source: table.source, built: table.built };

/** "AdministratorAccess", "service-role/AWSLambdaRole": the part of an AWS managed policy's ARN after "policy/". */
function keyOf(arn: string): string | null {
  const parts = parseArn(arn);
  if (parts?.service !== 'iam' || parts.account !== 'aws' || !parts.resource.startsWith('policy/')) return null;
  return parts.resource.slice('policy/'.length);
}

/**
 * The AWS managed policies as shipped (scripts/build-managed-policies.ts): only their statements
 * that can name a Secrets Manager action, which is all the identity checks read. Another policy, or
 * another version than the one shipped, is unavailable: replay then says it could not evaluate it.
 */
export function awsManagedPolicyLookup(): PolicyDocumentLookup {
  return {
    policy(arn: string, versionId: string | null): PolicyLookupResult {
      const key = keyOf(arn);
      if (key === null) return { status: 'unavailable', reason: 'not an AWS managed policy: its document is only in the account (the deployed function reads it)' };
      const shipped = POLICIES.get(key);
      const found = (shippedVersion: string | null, statements: unknown[]): PolicyLookupResult => ({
        status: 'found',
        document: { Version: '2012-10-17', Statement: statements },
        versionId: shippedVersion,
        source: 'aws-managed-policy-table',
        attachedTo: null,
        attachedToUnavailable: 'offline: attachments are not known',
        previousVersionId: null,
      });
      if (shipped) {
        if (versionId !== null && versionId !== shipped.versionId) {
          return { status: 'unavailable', reason: `version ${versionId} is not the one shipped (${shipped.versionId}, as of ${table.built})` };
        }
        return found(shipped.versionId, shipped.statements);
      }
      if (GRANT_NOTHING.has(key)) return found(null, []);
      return { status: 'unavailable', reason: `not in the table of AWS managed policies shipped with SecretWatch (as of ${table.built})` };
    },
  };
}
