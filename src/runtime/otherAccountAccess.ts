import type { IAMClient } from '@aws-sdk/client-iam';
import { readAuthorizationDetails } from '../access/readAuthorizationDetails';
import { rolesReadableFromOtherAccounts } from '../checks/inventory/secrets-readable-from-other-account';
import { secretSettings } from '../checks/inventory/tagSettings';
import type { Config } from '../config/config';
import type { Finding } from '../findings/finding';
import type { InventorySecret } from '../resources/secret';

export interface OtherAccountAccess {
  findings: Finding[];
  /** GetAccountAuthorizationDetails pages read. */
  pages: number;
  /** Why the account's authorization details could not be read: then the check gave no finding. */
  error: string | null;
}

/**
 * The secrets-readable-from-other-account check of one account: its authorization details read
 * once (I/O), then judged against the secrets the scan judges (not exempt, not pending deletion).
 */
export async function checkOtherAccountAccess(
  iam: IAMClient,
  scope: { account: string; region: string | null; secrets: readonly InventorySecret[]; config: Config; nowMs: number; organizationAccounts: readonly string[] },
): Promise<OtherAccountAccess> {
  let authorizationDetails: Awaited<ReturnType<typeof readAuthorizationDetails>>;
  try {
    authorizationDetails = await readAuthorizationDetails(iam);
  } catch (error) {
    return { findings: [], pages: 0, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
  const secrets = scope.secrets.filter((s) => s.deletedMs === null && secretSettings(s, scope.config, scope.nowMs).exemptReason === null);
  const findings = rolesReadableFromOtherAccounts({
    account: scope.account,
    region: scope.region,
    authorizationDetails,
    secrets,
    trustedAccounts: [...scope.config.trustedAccounts, ...scope.config.scanAccounts, ...scope.organizationAccounts],
  });
  return { findings, pages: authorizationDetails.length, error: null };
}
