import { type IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type { AuthorizationDetailsPage } from './types';

/** Every page of GetAccountAuthorizationDetails: users, groups, roles and the managed policies attached to any of them. */
export async function readAuthorizationDetails(iam: IAMClient): Promise<AuthorizationDetailsPage[]> {
  const pages: AuthorizationDetailsPage[] = [];
  for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, {})) pages.push(page);
  return pages;
}
