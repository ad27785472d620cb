import type { IAMClient } from '@aws-sdk/client-iam';
import type { AuthorizationDetailsPage } from './types';

/** Every page of GetAccountAuthorizationDetails: users, groups, roles and the managed policies attached to any of them. */
export async function readAuthorizationDetails(iam: IAMClient): Promise<AuthorizationDetailsPage[]> {
  const pages: AuthorizationDetailsPage[] = [];
  // Loaded when first read, not at the scan function's cold start (its client is the runtime's).
  const { paginateGetAccountAuthorizationDetails } = await import('@aws-sdk/client-iam');
  for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, {})) pages.push(page);
  return pages;
}
