import type { IAMClient } from '@aws-sdk/client-iam';
import type { AuthorizationDetailsPage } from './types';

/** Every page of GetAccountAuthorizationDetails: users, groups, roles and the managed policies attached to any of them. */
export async function readAuthorizationDetails(iam: IAMClient): Promise<AuthorizationDetailsPage[]> {
  const pages: AuthorizationDetailsPage[] = [];
  // Loaded when first read, not at the scan function's cold start (its client is the runtime's).
  // The pages are followed by hand: the SDK's paginator insists on a client of its own module copy.
  const { GetAccountAuthorizationDetailsCommand } = await import('@aws-sdk/client-iam');
  let marker: string | undefined;
  do {
    const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 1000, Marker: marker }));
    pages.push(page);
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return pages;
}
