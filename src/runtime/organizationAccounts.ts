import type { OrganizationsClient } from '@aws-sdk/client-organizations';

export interface OrganizationAccounts {
  /** ACTIVE accounts, in the order ListAccounts gave them, without the excluded one. */
  active: string[];
  /** The others (suspended, closing, not yet active): no role can be assumed there. */
  inactive: { account: string; state: string }[];
}

/**
 * Every account of the caller's organization (Organizations ListAccounts, 20 a page), split into
 * ACTIVE and the rest. `State` replaces `Status` (retired in September 2026); an answer with only
 * `Status` is read the same way. `exclude` is the caller's own account, scanned apart.
 */
export async function listOrganizationAccounts(client: OrganizationsClient, exclude: string | null): Promise<OrganizationAccounts> {
  const active: string[] = [];
  const inactive: OrganizationAccounts['inactive'] = [];
  const seen = new Set<string>();
  // Only a scan of the whole organization lists it: the client is loaded then, not at every cold start.
  const { paginateListAccounts } = await import('@aws-sdk/client-organizations');
  for await (const page of paginateListAccounts({ client, pageSize: 20 }, {})) {
    for (const account of page.Accounts ?? []) {
      const id = account.Id;
      if (!id || !/^\d{12}$/.test(id) || id === exclude || seen.has(id)) continue;
      seen.add(id);
      const state = String(account.State ?? account.Status ?? 'UNKNOWN');
      if (state === 'ACTIVE') active.push(id);
      else inactive.push({ account: id, state });
    }
  }
  return { active, inactive };
}
