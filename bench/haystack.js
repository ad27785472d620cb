'use strict';
// The 999 in 1,000: realistic CloudTrail records from the services an organisation trail is full
// of (S3 data events, EC2 Describe*, STS AssumeRole, KMS Decrypt, IAM, Lambda, DynamoDB, SSM,
// CloudWatch Logs, ECR, ...), 1-2 KB each, with the key order and shapes CloudTrail writes.
// A few of them mention "secretsmanager" without being Secrets Manager records, as real trails do:
// KMS Decrypt/GenerateDataKey called by Secrets Manager (encryption context SecretARN), SSM
// GetParameter on /aws/reference/secretsmanager/..., IAM policies granting secretsmanager:*.
const { Rng } = require('./prng');

const REGIONS = [
  ['us-east-1', 45],
  ['eu-west-1', 20],
  ['us-west-2', 15],
  ['eu-central-1', 12],
  ['ap-southeast-2', 8],
];

const USER_AGENTS = [
  'aws-sdk-go-v2/1.24.1 os/linux lang/go#1.21.6 md/GOOS#linux md/GOARCH#amd64 api/s3#1.48.1',
  'Boto3/1.34.34 md/Botocore#1.34.34 ua/2.0 os/linux#5.10.205-195.807.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.34',
  'aws-cli/2.15.17 Python/3.11.6 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp',
  '[aws-sdk-js/3.490.0 ua/2.0 os/linux#5.10.205-216.809.amzn2.x86_64 lang/js md/nodejs#20.10.0 api/dynamodb#3.490.0]',
  'aws-sdk-java/2.21.29 Linux/5.10.201-191.748.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy',
  'APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.49.6 (go1.21.5; linux; amd64)',
  'AWS Internal',
  'console.amazonaws.com',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36',
  'aws-sdk-go/1.44.327 (go1.20.7; linux; amd64) exec-env/AWS_ECS_FARGATE',
  'kubernetes/v1.28.5-eks-5e0fdde aws-sdk-go/1.48.7 (go1.21.5; linux; amd64)',
];

const ROLE_NAMES = [
  'OrganizationAccountAccessRole',
  'github-actions-deploy',
  'eks-node-group-NodeInstanceRole-1XKQ5Z0PMB3RJ',
  'orders-api-lambda-execution',
  'AWSReservedSSO_AdministratorAccess_3f1c2a9b8d7e6f5a',
  'AWSReservedSSO_ReadOnlyAccess_9a8b7c6d5e4f3a2b',
  'datadog-integration',
  'ecs-task-payments-service',
  'AWSServiceRoleForConfig',
  'etl-glue-job-role',
];

const SERVICE_PRINCIPALS = ['lambda.amazonaws.com', 'ec2.amazonaws.com', 'ecs-tasks.amazonaws.com', 'eks.amazonaws.com', 'glue.amazonaws.com'];

/** Everything that stays the same across files: the organisation being monitored. */
function buildWorld(seed) {
  const rng = new Rng(`${seed}/world`);
  const accounts = [];
  for (let i = 0; i < 8; i++) {
    const id = rng.digits(12);
    const roles = ROLE_NAMES.map((name) => ({ name, id: rng.iamId('AROA') }));
    const users = ['ci-bot', 'terraform', 'alice.martin', 'backup-agent'].map((name) => ({ name, id: rng.iamId('AIDA') }));
    const prefix = rng.pick(['acme', 'corp', 'prod', 'shop']);
    accounts.push({
      id,
      roles,
      users,
      buckets: ['logs', 'artifacts', 'data-lake-raw', 'static-assets', 'backups'].map((b) => `${prefix}-${b}-${id}-${rng.pick(['us-east-1', 'eu-west-1'])}`),
      tables: ['orders', 'sessions', 'inventory', 'audit-events'].map((t) => `${prefix}-${t}`),
      functions: ['orders-api', 'image-resize', 'stream-processor', 'nightly-report', 'auth-authorizer'].map((f) => `${prefix}-${f}-prod`),
      keys: [rng.uuid(), rng.uuid(), rng.uuid()],
      secretNames: ['prod/db/orders', 'prod/api/stripe', 'rds!db-' + rng.uuid(), 'ci/github-token'],
      vpce: `vpce-${rng.hex(17)}`,
    });
  }
  return { seed, accounts };
}

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const TLS = (host, rng) => ({
  tlsVersion: rng.chance(0.8) ? 'TLSv1.3' : 'TLSv1.2',
  cipherSuite: rng.chance(0.8) ? 'TLS_AES_128_GCM_SHA256' : 'ECDHE-RSA-AES128-GCM-SHA256',
  clientProvidedHostHeader: host,
});

function assumedRole(ctx, rng, role = rng.pick(ctx.account.roles)) {
  const session = rng.weighted([
    [`i-0${rng.hex(16)}`, 3],
    [`botocore-session-${1709000000 + rng.int(0, 999999)}`, 2],
    [`${rng.pick(['alice.martin', 'bob.chen', 'carol.diaz'])}@example.com`, 2],
    [`GitHubActions-${rng.digits(10)}`, 1],
    [`${rng.hex(32)}`, 1],
  ]);
  const ui = {
    type: 'AssumedRole',
    principalId: `${role.id}:${session}`,
    arn: `arn:aws:sts::${ctx.account.id}:assumed-role/${role.name}/${session}`,
    accountId: ctx.account.id,
    accessKeyId: rng.iamId('ASIA'),
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: role.id,
        arn: `arn:aws:iam::${ctx.account.id}:role/${role.name}`,
        accountId: ctx.account.id,
        userName: role.name,
      },
      webIdFederationData: {},
      attributes: { creationDate: iso(ctx.time - rng.int(60, 3600) * 1000), mfaAuthenticated: 'false' },
    },
  };
  if (session.startsWith('i-0')) ui.sessionContext.ec2RoleDelivery = '2.0';
  return ui;
}

function iamUser(ctx, rng) {
  const user = rng.pick(ctx.account.users);
  return {
    type: 'IAMUser',
    principalId: user.id,
    arn: `arn:aws:iam::${ctx.account.id}:user/${user.name}`,
    accountId: ctx.account.id,
    accessKeyId: rng.iamId('AKIA'),
    userName: user.name,
  };
}

const identity = (ctx, rng) => (rng.chance(0.85) ? assumedRole(ctx, rng) : iamUser(ctx, rng));

/** The common envelope of a record, in CloudTrail's key order. */
function base(ctx, rng, { ui, source, name, readOnly, rp, re, extra, resources, management = true, category, ip, ua, host, region }) {
  const r = {
    eventVersion: management ? '1.09' : '1.10',
    userIdentity: ui,
    eventTime: iso(ctx.time),
    eventSource: source,
    eventName: name,
    awsRegion: region ?? ctx.region,
    sourceIPAddress: ip ?? (ui.invokedBy ? ui.invokedBy : rng.chance(0.3) ? `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}` : rng.ipv4()),
    userAgent: ua ?? (ui.invokedBy ? ui.invokedBy : rng.pick(USER_AGENTS)),
  };
  if (ctx.denied) {
    r.errorCode = 'AccessDenied';
    r.errorMessage = `User: ${ui.arn ?? 'unknown'} is not authorized to perform: ${source.split('.')[0]}:${name} because no identity-based policy allows the ${source.split('.')[0]}:${name} action`;
    re = null;
  }
  r.requestParameters = rp;
  r.responseElements = re;
  if (extra) r.additionalEventData = extra;
  r.requestID = rng.chance(0.5) ? rng.uuid() : rng.alnum(16).toUpperCase();
  r.eventID = rng.uuid();
  r.readOnly = readOnly;
  if (resources) r.resources = resources;
  r.eventType = 'AwsApiCall';
  r.managementEvent = management;
  r.recipientAccountId = ctx.account.id;
  if (rng.chance(0.15) && !ui.invokedBy) r.vpcEndpointId = ctx.account.vpce;
  r.eventCategory = category ?? (management ? 'Management' : 'Data');
  if (!ui.invokedBy) r.tlsDetails = TLS(host ?? `${source.split('.')[0]}.${ctx.region}.amazonaws.com`, rng);
  return r;
}

function s3Object(ctx, rng, name) {
  const bucket = rng.pick(ctx.account.buckets);
  const key = rng.weighted([
    [`year=2024/month=03/day=${String(rng.int(1, 28)).padStart(2, '0')}/part-${rng.hex(5)}-${rng.uuid()}-c000.snappy.parquet`, 3],
    [`builds/${rng.pick(['orders-api', 'web', 'worker'])}/${rng.hex(40)}/bundle.zip`, 2],
    [
      `AWSLogs/${ctx.account.id}/elasticloadbalancing/${ctx.region}/2024/03/${String(rng.int(1, 28)).padStart(2, '0')}/${ctx.account.id}_elasticloadbalancing_${ctx.region}_app.prod-alb.${rng.hex(16)}_20240311T${String(rng.int(0, 23)).padStart(2, '0')}05Z_${rng.ipv4()}_${rng.alnum(8).toLowerCase()}.log.gz`,
      2,
    ],
    [`assets/img/${rng.alnum(10)}.webp`, 2],
  ]);
  const put = name === 'PutObject';
  const ui = rng.chance(0.1) ? { type: 'AWSService', invokedBy: rng.pick(['cloudtrail.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'athena.amazonaws.com']) } : identity(ctx, rng);
  return base(ctx, rng, {
    ui,
    source: 's3.amazonaws.com',
    name,
    readOnly: !put,
    management: false,
    rp: put
      ? {
          bucketName: bucket,
          Host: `${bucket}.s3.${ctx.region}.amazonaws.com`,
          key,
          'x-amz-server-side-encryption': 'aws:kms',
          'x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${ctx.region}:${ctx.account.id}:key/${ctx.account.keys[0]}`,
        }
      : { bucketName: bucket, Host: `${bucket}.s3.${ctx.region}.amazonaws.com`, key },
    re: put
      ? {
          'x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${ctx.region}:${ctx.account.id}:key/${ctx.account.keys[0]}`,
          'x-amz-server-side-encryption': 'aws:kms',
          'x-amz-version-id': rng.alnum(32),
        }
      : null,
    extra: {
      SignatureVersion: 'SigV4',
      CipherSuite: 'TLS_AES_128_GCM_SHA256',
      bytesTransferredIn: put ? rng.int(1000, 50_000_000) : 0,
      AuthenticationMethod: 'AuthHeader',
      'x-amz-id-2': rng.b64(76),
      bytesTransferredOut: put ? 0 : rng.int(100, 80_000_000),
    },
    resources: [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` },
      { accountId: ctx.account.id, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` },
    ],
    host: `${bucket}.s3.${ctx.region}.amazonaws.com`,
  });
}

function ec2Describe(ctx, rng) {
  const name = rng.pick(['DescribeInstances', 'DescribeSecurityGroups', 'DescribeVolumes', 'DescribeNetworkInterfaces', 'DescribeSubnets', 'DescribeInstanceStatus']);
  let rp;
  switch (name) {
    case 'DescribeInstances':
      rp = rng.chance(0.5)
        ? { instancesSet: { items: [{ instanceId: `i-0${rng.hex(16)}` }] }, filterSet: {} }
        : {
            instancesSet: {},
            filterSet: {
              items: [
                { name: 'tag:eks:cluster-name', valueSet: { items: [{ value: 'prod' }] } },
                { name: 'instance-state-name', valueSet: { items: [{ value: 'running' }, { value: 'pending' }] } },
              ],
            },
          };
      break;
    case 'DescribeSecurityGroups':
      rp = { securityGroupSet: { items: [{ groupId: `sg-0${rng.hex(16)}` }, { groupId: `sg-0${rng.hex(16)}` }] }, securityGroupIdSet: {}, filterSet: {} };
      break;
    case 'DescribeNetworkInterfaces':
      rp = { networkInterfaceIdSet: {}, filterSet: { items: [{ name: 'attachment.instance-id', valueSet: { items: [{ value: `i-0${rng.hex(16)}` }] } }] } };
      break;
    default:
      rp = { [name === 'DescribeVolumes' ? 'volumeSet' : name === 'DescribeSubnets' ? 'subnetSet' : 'instancesSet']: {}, filterSet: {}, maxResults: 1000 };
  }
  const ui = rng.chance(0.25) ? { type: 'AWSService', invokedBy: rng.pick(['autoscaling.amazonaws.com', 'eks.amazonaws.com', 'config.amazonaws.com']) } : identity(ctx, rng);
  return base(ctx, rng, { ui, source: 'ec2.amazonaws.com', name, readOnly: true, rp, re: null });
}

function stsAssumeRole(ctx, rng) {
  const role = rng.pick(ctx.account.roles);
  const session = rng.pick([`botocore-session-${1709000000 + rng.int(0, 999999)}`, `aws-go-sdk-${Date.UTC(2024, 2, 11)}`, 'GitHubActions', `i-0${rng.hex(16)}`]);
  const service = rng.chance(0.5);
  const ui = service ? { type: 'AWSService', invokedBy: rng.pick(SERVICE_PRINCIPALS) } : identity(ctx, rng);
  const r = base(ctx, rng, {
    ui,
    source: 'sts.amazonaws.com',
    name: 'AssumeRole',
    readOnly: true,
    rp: { roleArn: `arn:aws:iam::${ctx.account.id}:role/${role.name}`, roleSessionName: session, durationSeconds: rng.pick([900, 3600, 43200]) },
    re: {
      credentials: {
        accessKeyId: rng.iamId('ASIA'),
        sessionToken: `IQoJb3JpZ2luX2Vj${rng.b64(rng.int(380, 720))}`,
        expiration: new Date(ctx.time + 3600e3).toUTCString().replace('GMT', 'UTC'),
      },
      assumedRoleUser: { assumedRoleId: `${role.id}:${session}`, arn: `arn:aws:sts::${ctx.account.id}:assumed-role/${role.name}/${session}` },
    },
    resources: [{ accountId: ctx.account.id, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ctx.account.id}:role/${role.name}` }],
  });
  if (service) r.sharedEventID = rng.uuid();
  return r;
}

function kms(ctx, rng, { forSecretsManager = false } = {}) {
  const key = `arn:aws:kms:${ctx.region}:${ctx.account.id}:key/${rng.pick(ctx.account.keys)}`;
  let ui;
  let encryptionContext;
  const name = rng.chance(0.8) ? 'Decrypt' : 'GenerateDataKey';
  if (forSecretsManager) {
    // What GetSecretValue/PutSecretValue make Secrets Manager do: a KMS call on the caller's behalf.
    ui = assumedRole(ctx, rng);
    ui.invokedBy = 'secretsmanager.amazonaws.com';
    const secret = rng.pick(ctx.account.secretNames);
    encryptionContext = { SecretARN: `arn:aws:secretsmanager:${ctx.region}:${ctx.account.id}:secret:${secret}-${rng.alnum(6)}`, SecretVersionId: rng.uuid() };
  } else {
    ui = rng.chance(0.4) ? { type: 'AWSService', invokedBy: rng.pick(['s3.amazonaws.com', 'lambda.amazonaws.com', 'ebs.amazonaws.com', 'dynamodb.amazonaws.com']) } : identity(ctx, rng);
    encryptionContext = rng.weighted([
      [{ 'aws:lambda:FunctionArn': `arn:aws:lambda:${ctx.region}:${ctx.account.id}:function:${rng.pick(ctx.account.functions)}` }, 2],
      [{ 'aws:s3:arn': `arn:aws:s3:::${rng.pick(ctx.account.buckets)}/${rng.hex(24)}` }, 3],
      [{ 'aws:ebs:id': `vol-0${rng.hex(16)}` }, 1],
      [{ 'aws:dynamodb:tableName': rng.pick(ctx.account.tables), 'aws:dynamodb:subscriberId': ctx.account.id }, 1],
    ]);
  }
  const rp = name === 'Decrypt' ? { encryptionContext, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' } : { keyId: key, encryptionContext, keySpec: 'AES_256' };
  return base(ctx, rng, {
    ui,
    source: 'kms.amazonaws.com',
    name,
    readOnly: true,
    rp,
    re: null,
    resources: [{ accountId: ctx.account.id, type: 'AWS::KMS::Key', ARN: key }],
    ip: ui.invokedBy,
    ua: ui.invokedBy,
  });
}

function policyDocument(ctx, _rng, { secrets }) {
  const statements = [
    { Sid: 'ReadArtifacts', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${ctx.account.buckets[1]}`, `arn:aws:s3:::${ctx.account.buckets[1]}/*`] },
    { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `arn:aws:logs:${ctx.region}:${ctx.account.id}:log-group:/aws/lambda/*` },
  ];
  if (secrets) {
    statements.push({
      Sid: 'ReadAppSecrets',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: `arn:aws:secretsmanager:${ctx.region}:${ctx.account.id}:secret:prod/*`,
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

function iam(ctx, rng, { secrets = false } = {}) {
  const role = rng.pick(ctx.account.roles);
  const write = secrets || rng.chance(0.15);
  const ui = identity(ctx, rng);
  if (write) {
    const name = rng.pick(['PutRolePolicy', 'CreatePolicyVersion']);
    const doc = policyDocument(ctx, rng, { secrets });
    const rp =
      name === 'PutRolePolicy'
        ? { roleName: role.name, policyName: `${role.name}-inline`, policyDocument: doc }
        : { policyArn: `arn:aws:iam::${ctx.account.id}:policy/${role.name}-access`, policyDocument: doc, setAsDefault: true };
    const re = name === 'PutRolePolicy' ? null : { policyVersion: { versionId: `v${rng.int(2, 9)}`, isDefaultVersion: true, createDate: new Date(ctx.time).toUTCString().replace('GMT', 'UTC') } };
    return base(ctx, rng, { ui, source: 'iam.amazonaws.com', name, readOnly: false, rp, re, host: 'iam.amazonaws.com', region: 'us-east-1' });
  }
  const name = rng.pick(['GetRole', 'ListAttachedRolePolicies', 'GetPolicyVersion', 'ListRoleTags', 'GetRolePolicy']);
  const rp =
    name === 'GetPolicyVersion'
      ? { policyArn: `arn:aws:iam::aws:policy/${rng.pick(['ReadOnlyAccess', 'AmazonS3ReadOnlyAccess', 'AWSLambdaBasicExecutionRole'])}`, versionId: `v${rng.int(1, 40)}` }
      : name === 'GetRolePolicy'
        ? { roleName: role.name, policyName: `${role.name}-inline` }
        : { roleName: role.name };
  return base(ctx, rng, { ui, source: 'iam.amazonaws.com', name, readOnly: true, rp, re: null, host: 'iam.amazonaws.com', region: 'us-east-1' });
}

function lambda(ctx, rng) {
  const fn = rng.pick(ctx.account.functions);
  const arn = `arn:aws:lambda:${ctx.region}:${ctx.account.id}:function:${fn}`;
  if (rng.chance(0.75)) {
    const ui = rng.chance(0.5) ? { type: 'AWSService', invokedBy: rng.pick(['apigateway.amazonaws.com', 'events.amazonaws.com', 'sqs.amazonaws.com']) } : identity(ctx, rng);
    return base(ctx, rng, {
      ui,
      source: 'lambda.amazonaws.com',
      name: 'Invoke',
      readOnly: false,
      management: false,
      rp: {
        functionName: arn,
        ...(rng.chance(0.3) ? { invocationType: 'Event' } : {}),
        sourceArn: ui.invokedBy ? `arn:aws:execute-api:${ctx.region}:${ctx.account.id}:${rng.alnum(10).toLowerCase()}/prod/POST/orders` : undefined,
      },
      re: null,
      extra: { functionVersion: `${arn}:$LATEST` },
      resources: [{ accountId: ctx.account.id, type: 'AWS::Lambda::Function', ARN: arn }],
    });
  }
  const name = rng.pick(['GetFunction20150331v2', 'ListFunctions20150331', 'GetFunctionConfiguration20150331v2', 'ListTags20170331']);
  return base(ctx, rng, {
    ui: identity(ctx, rng),
    source: 'lambda.amazonaws.com',
    name,
    readOnly: true,
    rp: name.startsWith('List') ? (name === 'ListTags20170331' ? { resource: arn } : null) : { functionName: fn },
    re: null,
  });
}

function dynamodb(ctx, rng) {
  const table = rng.pick(ctx.account.tables);
  const name = rng.pick(['GetItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem']);
  const key = { pk: `ORDER#${rng.digits(9)}`, sk: `ITEM#${rng.int(1, 40)}` };
  return base(ctx, rng, {
    ui: identity(ctx, rng),
    source: 'dynamodb.amazonaws.com',
    name,
    readOnly: name === 'GetItem' || name === 'Query',
    management: false,
    rp: name === 'Query' ? { tableName: table, keyConditionExpression: 'pk = :pk', limit: 100 } : { tableName: table, key, ...(name === 'GetItem' ? { consistentRead: rng.chance(0.3) } : {}) },
    re: null,
    extra: { requestType: name, ...(name === 'Query' ? {} : {}) },
    resources: [{ accountId: ctx.account.id, type: 'AWS::DynamoDB::Table', ARN: `arn:aws:dynamodb:${ctx.region}:${ctx.account.id}:table/${table}` }],
  });
}

function ssm(ctx, rng, { secretsReference = false } = {}) {
  const name = secretsReference
    ? `/aws/reference/secretsmanager/${rng.pick(ctx.account.secretNames)}`
    : rng.pick([
        '/prod/orders-api/feature-flags',
        '/prod/shared/vpc-id',
        '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
        '/prod/payments/endpoint',
        '/cdk-bootstrap/hnb659fds/version',
      ]);
  const many = !secretsReference && rng.chance(0.3);
  return base(ctx, rng, {
    ui: identity(ctx, rng),
    source: 'ssm.amazonaws.com',
    name: many ? 'GetParameters' : 'GetParameter',
    readOnly: true,
    rp: many ? { names: [name, '/prod/shared/subnet-ids', '/prod/shared/log-level'], withDecryption: false } : { name, withDecryption: secretsReference || rng.chance(0.4) },
    re: null,
  });
}

function logs(ctx, rng) {
  const fn = rng.pick(ctx.account.functions);
  const name = rng.pick(['CreateLogStream', 'CreateLogStream', 'DescribeLogGroups', 'DescribeLogStreams']);
  const group = `/aws/lambda/${fn}`;
  const rp =
    name === 'CreateLogStream'
      ? { logGroupName: group, logStreamName: `2024/03/11/[$LATEST]${rng.hex(32)}` }
      : name === 'DescribeLogGroups'
        ? { logGroupNamePrefix: '/aws/lambda/' }
        : { logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 50 };
  return base(ctx, rng, { ui: identity(ctx, rng), source: 'logs.amazonaws.com', name, readOnly: name !== 'CreateLogStream', rp, re: null });
}

function misc(ctx, rng) {
  const kind = rng.pick(['GetCallerIdentity', 'GetAuthorizationToken', 'BatchGetImage', 'GetMetricData', 'DescribeTargetHealth', 'DescribeAlarms']);
  const ui = identity(ctx, rng);
  switch (kind) {
    case 'GetCallerIdentity':
      return base(ctx, rng, { ui, source: 'sts.amazonaws.com', name: kind, readOnly: true, rp: null, re: null });
    case 'GetAuthorizationToken':
      return base(ctx, rng, {
        ui,
        source: 'ecr.amazonaws.com',
        name: kind,
        readOnly: true,
        rp: { registryIds: [ctx.account.id] },
        re: null,
        ip: 'eks.amazonaws.com' === ui.invokedBy ? ui.invokedBy : undefined,
      });
    case 'BatchGetImage':
      return base(ctx, rng, {
        ui,
        source: 'ecr.amazonaws.com',
        name: kind,
        readOnly: true,
        rp: {
          imageIds: [{ imageTag: `v1.${rng.int(0, 99)}.${rng.int(0, 99)}` }],
          acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'],
          repositoryName: rng.pick(['orders-api', 'web', 'worker']),
          registryId: ctx.account.id,
        },
        re: null,
        resources: [{ accountId: ctx.account.id, ARN: `arn:aws:ecr:${ctx.region}:${ctx.account.id}:repository/${rng.pick(['orders-api', 'web', 'worker'])}` }],
      });
    case 'GetMetricData':
      return base(ctx, rng, {
        ui,
        source: 'monitoring.amazonaws.com',
        name: kind,
        readOnly: true,
        rp: {
          metricDataQueries: [
            {
              id: 'm1',
              metricStat: { metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: rng.pick(ctx.account.functions) }] }, period: 300, stat: 'Sum' },
            },
          ],
          startTime: iso(ctx.time - 3600e3),
          endTime: iso(ctx.time),
        },
        re: null,
      });
    case 'DescribeTargetHealth':
      return base(ctx, rng, {
        ui,
        source: 'elasticloadbalancing.amazonaws.com',
        name: kind,
        readOnly: true,
        rp: { targetGroupArn: `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.account.id}:targetgroup/k8s-prod-web-${rng.hex(10)}/${rng.hex(16)}` },
        re: null,
      });
    default:
      return base(ctx, rng, { ui, source: 'monitoring.amazonaws.com', name: kind, readOnly: true, rp: { alarmNames: [`${rng.pick(ctx.account.functions)}-errors`], maxRecords: 100 }, re: null });
  }
}

/**
 * Weights per 1,000 records. The "mentions" entries carry the string secretsmanager without being
 * Secrets Manager records (about 3 in 1,000, a little above the 1 in 1,000 real Secrets Manager
 * records, as in a trail where every GetSecretValue comes with a KMS Decrypt made on its behalf).
 */
const MIX = [
  [(c, r) => s3Object(c, r, 'GetObject'), 280],
  [(c, r) => s3Object(c, r, 'PutObject'), 80],
  [(c, r) => s3Object(c, r, 'HeadObject'), 50],
  [ec2Describe, 100],
  [stsAssumeRole, 80],
  [kms, 110],
  [(c, r) => kms(c, r, { forSecretsManager: true }), 2],
  [iam, 30],
  [(c, r) => iam(c, r, { secrets: true }), 0.5],
  [lambda, 50],
  [dynamodb, 60],
  [ssm, 30],
  [(c, r) => ssm(c, r, { secretsReference: true }), 0.5],
  [logs, 50],
  [misc, 77],
];

/** One haystack record as compact JSON text. ctx: { account, region, time }. */
function haystackRecord(ctx, rng) {
  const make = rng.weighted(MIX);
  ctx.denied = rng.chance(0.02);
  const record = make(ctx, rng);
  ctx.denied = false;
  return JSON.stringify(record);
}

module.exports = { buildWorld, haystackRecord, REGIONS, iso };
