import { paginateListSecrets, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { inventorySecretOf } from './normalise';
import type { InventorySecret } from '../resources/secret';

/** ListSecrets' largest page. */
export const PAGE_SIZE = 100;

/**
 * Every secret in the region, those scheduled for deletion included, 100 a call: ceil(N/100) calls
 * (the service may return short pages now and then, each costing a call more). Errors propagate:
 * a scan that cannot list the inventory has nothing to say.
 */
export async function listInventory(client: SecretsManagerClient, onPage?: (listed: number) => void): Promise<InventorySecret[]> {
  const secrets: InventorySecret[] = [];
  const pages = paginateListSecrets({ client, pageSize: PAGE_SIZE }, { IncludePlannedDeletion: true });
  for await (const page of pages) {
    for (const entry of page.SecretList ?? []) {
      const secret = inventorySecretOf(entry);
      if (secret) secrets.push(secret);
    }
    onPage?.(secrets.length);
  }
  return secrets;
}
