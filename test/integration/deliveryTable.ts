import { CreateTableCommand, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** The stack's DeliveryTable in moto_server: a string key `id` (TTL plays no part in a test). */
export async function createDeliveryTable(config: DynamoDBClientConfig, tableName: string): Promise<void> {
  const dynamo = new DynamoDBClient(config);
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
  } finally {
    dynamo.destroy();
  }
}
