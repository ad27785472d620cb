import { partitionOfArn, REGION_NAME } from '../resources/arn';
import type { Finding } from './finding';
import { wellFormed } from './safeText';

/** The console's host per partition; other partitions (isolated regions) have no public console link. */
function consoleHost(partition: string, region: string): string | null {
  if (partition === 'aws') return `${region}.console.aws.amazon.com`;
  if (partition === 'aws-cn') return `${region}.console.amazonaws.cn`;
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  return null;
}

/**
 * The Secrets Manager console page of the finding's secret, or null when the finding does not say
 * enough to build one. Region and name come from CloudTrail (hostile input): the region must look
 * like a region and the name is URL-encoded, so the link cannot point anywhere else, and building
 * it never throws, whatever the name holds.
 */
export function consoleLink(finding: Finding): string | null {
  const region = finding.region;
  if (finding.resource.type !== 'AwsSecretsManagerSecret') return null;
  const name = finding.resource.name;
  if (!region || !name || !REGION_NAME.test(region)) return null;
  const partition = partitionOfArn(finding.resource.arn);
  const host = consoleHost(partition, region);
  if (!host) return null;
  return `https://${host}/secretsmanager/secret?name=${encodeURIComponent(wellFormed(name))}&region=${region}`;
}
