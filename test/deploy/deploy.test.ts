/**
 * `serverless deploy` and `serverless remove` of each deployment mode against moto_server's
 * CloudFormation: the path every user takes first. Each mode is deployed from a copy of the service
 * (as a user's checkout) with the SDK pointed at moto (AWS_ENDPOINT_URL), then checked: the stack
 * completed, every resource of the compiled template is in it and complete, every function exists
 * with its own role; then removed, and checked gone. docs/deploy.md says what this does and does
 * not prove.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand, paginateListStackResources, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describeWithMoto, MOTO_REGION, type Moto } from '../integration/motoServer';
import { ROOT, serviceCopy } from '../template/packaging';

jest.setTimeout(300_000);

const MODES: [string, Record<string, string>][] = [
  ['standalone', { alertEmails: 'secops@example.com', securityHub: 'true' }],
  ['central', { mode: 'central', organizationId: 'o-a1b2c3d4e5', scanAccounts: '222233334444,333344445555', scanRegions: 'us-east-1,eu-west-1', securityHub: 'true' }],
  ['member', { mode: 'member', centralBusArn: 'arn:aws:events:us-east-1:999999999999:event-bus/secretwatch-central-ci' }],
];

/**
 * Resource types moto's CloudFormation (5.2) does not model: it accepts the template and skips
 * them, so the stack lists them nowhere. Named here so that any other resource missing from a stack
 * fails the test; docs/deploy.md lists them as what this test does not prove.
 */
const NOT_MODELLED_BY_MOTO = new Set([
  'AWS::CloudWatch::Alarm',
  'AWS::Events::EventBusPolicy',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Subscription',
  'AWS::SQS::QueuePolicy',
]);

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

/** The Framework, in the service copy, with every AWS call sent to moto and no account or profile of the machine's. */
function serverless(moto: Moto, service: string, command: 'deploy' | 'remove', stage: string, params: Record<string, string>) {
  const args = [command, '--stage', stage, '--region', MOTO_REGION, ...Object.entries(params).flatMap(([k, v]) => ['--param', `${k}=${v}`])];
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_')) env[key] = value;
  const nowhere = join(tmpdir(), 'secretwatch-no-aws-config');
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'serverless'), args, {
    cwd: service,
    env: {
      ...env,
      SLS_TELEMETRY_DISABLED: '1',
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: MOTO_REGION,
      AWS_CONFIG_FILE: nowhere,
      AWS_SHARED_CREDENTIALS_FILE: nowhere,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

async function stackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResourceSummary[]> {
  const all: StackResourceSummary[] = [];
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackName })) all.push(...(page.StackResourceSummaries ?? []));
  return all;
}

/** The stack's status, or null when CloudFormation no longer knows it. */
async function stackStatus(cfn: CloudFormationClient, stackName: string): Promise<string | null> {
  try {
    const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return Stacks?.[0]?.StackStatus ?? null;
  } catch (error) {
    if (/does not exist/.test(String((error as Error).message))) return null;
    throw error;
  }
}

describeWithMoto('serverless deploy and remove against moto_server', (moto) => {
  let service: string;
  let cfn: CloudFormationClient;
  let lambda: LambdaClient;
  let s3: S3Client;

  beforeAll(() => {
    service = serviceCopy(join(mkdtempSync(join(tmpdir(), 'secretwatch-deploy-')), 'service'));
    cfn = new CloudFormationClient(moto.clientConfig());
    lambda = new LambdaClient(moto.clientConfig());
    s3 = new S3Client({ ...moto.clientConfig(), forcePathStyle: true });
  });

  afterAll(() => {
    for (const client of [cfn, lambda, s3]) client?.destroy();
    if (service) rmSync(join(service, '..'), { recursive: true, force: true });
  });

  test.each(MODES)('mode %s: deploy completes the stack with every resource of the template; remove deletes it', async (mode, params) => {
    const stage = `ci-${mode}`;
    const stackName = `secretwatch-${stage}`;

    const deployed = serverless(moto, service, 'deploy', stage, params);
    expect({ status: deployed.status, output: deployed.status === 0 ? '' : deployed.output }).toEqual({ status: 0, output: '' });

    expect(await stackStatus(cfn, stackName)).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
    const template = JSON.parse(readFileSync(join(service, '.serverless', 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    const resources = await stackResources(cfn, stackName);
    const inStack = new Map(resources.map((r) => [r.LogicalResourceId, r]));
    const missing = Object.entries(template.Resources)
      .filter(([id, r]) => !inStack.has(id) && !NOT_MODELLED_BY_MOTO.has(r.Type))
      .map(([id, r]) => `${id} ${r.Type}`);
    expect({ mode, missing }).toEqual({ mode, missing: [] });
    expect(inStack.size).toBeGreaterThan(Object.keys(template.Resources).length / 2);
    const incomplete = resources.filter((r) => !/_COMPLETE$/.test(r.ResourceStatus ?? '')).map((r) => `${r.LogicalResourceId} ${r.ResourceStatus}`);
    expect({ mode, incomplete }).toEqual({ mode, incomplete: [] });

    const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    if (mode !== 'member') expect(functions.length).toBeGreaterThanOrEqual(4);
    const roles = new Set<string>();
    for (const [id] of functions) {
      const name = inStack.get(id)?.PhysicalResourceId as string;
      const { Configuration } = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
      expect(Configuration?.Runtime).toBe('nodejs22.x');
      roles.add(Configuration?.Role as string);
    }
    // One role per function: none shares another's permissions.
    expect(roles.size).toBe(functions.length);
    const bucket = inStack.get('ServerlessDeploymentBucket')?.PhysicalResourceId as string;
    expect(bucket).toBeTruthy();

    const removed = serverless(moto, service, 'remove', stage, params);
    expect({ status: removed.status, output: removed.status === 0 ? '' : removed.output }).toEqual({ status: 0, output: '' });
    expect([null, 'DELETE_COMPLETE']).toContain(await stackStatus(cfn, stackName));
    for (const [id] of functions) {
      await expect(lambda.send(new GetFunctionCommand({ FunctionName: inStack.get(id)?.PhysicalResourceId }))).rejects.toThrow(/not found|does not exist/i);
    }
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
  });
});
