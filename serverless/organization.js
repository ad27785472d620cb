'use strict';

// A local Serverless Framework plugin: the deployment mode (deploy parameter `mode`,
// docs/organization.md).
//   standalone  (default) the template as compiled: monitors on this account's default bus.
//   central     adds an event bus that only accounts of `organizationId` may put events on, and
//               moves every event-pattern rule onto it: the monitors see what the members forward.
//   member      keeps only the event-pattern rules, each now targeting `centralBusArn` through a
//               role that may put events there and nothing else, plus a read-only scan role that
//               the central account (the one in centralBusArn) may assume.
// A plugin over the compiled template rather than resolvers in serverless.yml: every rule, whoever
// added it (function events or raw resources), is rewritten, and a member stack is left with
// nothing else, whatever the other files add.

const { existsSync, unlinkSync } = require('node:fs');
const { isAbsolute, join } = require('node:path');
const { parameterError } = require('./errors');

const MODES = ['standalone', 'central', 'member'];
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
// arn:<partition>:events:<region>:<account>:event-bus/<name>
const EVENT_BUS_ARN = /^arn:(aws|aws-cn|aws-us-gov):events:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):event-bus\/([A-Za-z0-9._-]{1,256})$/;

const CENTRAL_BUS_LOGICAL_ID = 'CentralBus';
const CENTRAL_BUS_POLICY_LOGICAL_ID = 'CentralBusPolicy';
const FORWARDING_ROLE_LOGICAL_ID = 'ForwardingRole';
const MEMBER_SCAN_ROLE_LOGICAL_ID = 'MemberScanRole';
// The inventory scan: in mode central it also assumes the member scan roles of scanAccounts.
const INVENTORY_SCAN_FUNCTION_LOGICAL_ID = 'InventoryScanLambdaFunction';
const INVENTORY_SCAN_ROLE_LOGICAL_ID = 'InventoryScanRole';
// The central scan fans out (src/monitors/scanWorker.ts, whose function, role and queues
// serverless/monitors.js builds): one unit per member account and region, the results in a table.
const SCAN_WORKER_FUNCTION_LOGICAL_ID = 'ScanWorkerLambdaFunction';
const SCAN_WORKER_ROLE_LOGICAL_ID = 'ScanWorkerRole';
const SCAN_WORKER_QUEUE_LOGICAL_ID = 'ScanWorkerQueue';
const SCAN_WORKER_DEAD_LETTER_QUEUE_LOGICAL_ID = 'ScanWorkerDeadLetterQueue';
const SCAN_RUNS_TABLE_LOGICAL_ID = 'ScanRunsTable';
// The Framework's own: `serverless deploy` uploads the package there in every mode.
const FRAMEWORK_RESOURCES = ['ServerlessDeploymentBucket', 'ServerlessDeploymentBucketPolicy'];
const FRAMEWORK_OUTPUTS = ['ServerlessDeploymentBucketName'];

function text(value) {
  return value == null ? '' : String(value).trim();
}

/** The member scan role's name in CloudFormation (Fn::Sub): the same for the member stack that creates it and the central scan that assumes it. */
function memberScanRoleName(stage, region = '${AWS::Region}') {
  return `secretwatch-${stage}-scan-${region}`;
}

/** The deploy parameter scanOrganization: the same words as the function's boolean settings. */
function booleanParameter(name, raw) {
  const value = text(raw).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off', ''].includes(value)) return false;
  throw parameterError(`Invalid deploy parameter ${name}: "${text(raw)}" (expected true or false)`);
}

/**
 * raw: { mode, organizationId, centralBusArn, scanAccounts, scanOrganization } as the deploy parameters resolved.
 * Returns { mode, organizationId?, scanAccounts?, scanOrganization?, centralBus? }; a parameter that the mode does not use but that
 * is set is refused: it says the operator meant another mode.
 */
function organizationSettings(raw) {
  const mode = text(raw.mode).toLowerCase() || 'standalone';
  if (!MODES.includes(mode)) {
    throw parameterError(`Invalid deploy parameter mode: "${text(raw.mode)}" (expected one of ${MODES.join(', ')})`);
  }
  const organizationId = text(raw.organizationId);
  const centralBusArn = text(raw.centralBusArn);
  const scanAccounts = text(raw.scanAccounts)
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  const scanOrganization = booleanParameter('scanOrganization', raw.scanOrganization);
  const scanRegions = [
    ...new Set(
      text(raw.scanRegions)
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  if (scanRegions.length && mode !== 'central') {
    throw parameterError(`Invalid deploy parameter scanRegions: only mode central uses it (mode is ${mode})`);
  }
  const badRegion = scanRegions.find((r) => !REGION.test(r));
  if (badRegion !== undefined) {
    throw parameterError(`Invalid deploy parameter scanRegions: "${badRegion}" is not a region name (comma-separated, e.g. eu-west-1,us-east-1)`);
  }
  if (scanOrganization && mode !== 'central') {
    throw parameterError(`Invalid deploy parameter scanOrganization: only mode central uses it (mode is ${mode})`);
  }
  if (scanOrganization && scanAccounts.length) {
    throw parameterError('Invalid deploy parameter scanOrganization: not with scanAccounts (the organization already lists every account; choose one)');
  }
  if (mode === 'central') {
    const bad = scanAccounts.find((a) => !ACCOUNT_ID.test(a));
    if (bad !== undefined) {
      throw parameterError(`Invalid deploy parameter scanAccounts: "${bad}" is not a 12-digit account id (comma-separated member account ids)`);
    }
  } else if (scanAccounts.length) {
    throw parameterError(`Invalid deploy parameter scanAccounts: only mode central uses it (mode is ${mode})`);
  }
  if (mode === 'central') {
    if (!ORGANIZATION_ID.test(organizationId)) {
      throw parameterError(`Invalid deploy parameter organizationId: "${organizationId}" is not an organization id (o- and 10 to 32 lower-case letters or digits); mode central requires it`);
    }
  } else if (organizationId !== '') {
    throw parameterError(`Invalid deploy parameter organizationId: only mode central uses it (mode is ${mode})`);
  }
  if (mode === 'member') {
    const match = EVENT_BUS_ARN.exec(centralBusArn);
    if (!match) {
      throw parameterError(
        `Invalid deploy parameter centralBusArn: "${centralBusArn}" is not an event bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>, the CentralBusArn output of the central stack); mode member requires it`,
      );
    }
    return { mode, centralBus: { arn: centralBusArn, partition: match[1], region: match[2], account: match[3], name: match[4] } };
  }
  if (centralBusArn !== '') {
    throw parameterError(`Invalid deploy parameter centralBusArn: only mode member uses it (mode is ${mode})`);
  }
  if (mode !== 'central') return { mode };
  const regions = scanRegions.length ? { scanRegions } : {};
  if (scanOrganization) return { mode, organizationId, scanOrganization, ...regions };
  return scanAccounts.length ? { mode, organizationId, scanAccounts: [...new Set(scanAccounts)], ...regions } : { mode, organizationId, ...regions };
}

/** A central stack whose inventory scan covers member accounts or other regions: it fans its scan out to scan workers. */
function scansMembers(settings) {
  return settings.mode === 'central' && Boolean(settings.scanOrganization || settings.scanAccounts?.length || settings.scanRegions?.length);
}

function eventPatternRules(template) {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => r.Type === 'AWS::Events::Rule' && r.Properties?.EventPattern != null);
}

/** The central bus, its organization-only policy, and every event-pattern rule moved onto it. */
function applyCentral(template, { organizationId, scanAccounts, scanOrganization, scanRegions }, { stage }) {
  for (const id of [CENTRAL_BUS_LOGICAL_ID, CENTRAL_BUS_POLICY_LOGICAL_ID]) {
    if (template.Resources[id]) throw new Error(`serverless/organization.js: ${id} is already in the template`);
  }
  template.Resources[CENTRAL_BUS_LOGICAL_ID] = {
    Type: 'AWS::Events::EventBus',
    Properties: { Name: `secretwatch-central-${stage}`, Description: 'SecretWatch: Secrets Manager events forwarded by the member stacks' },
  };
  template.Resources[CENTRAL_BUS_POLICY_LOGICAL_ID] = {
    Type: 'AWS::Events::EventBusPolicy',
    Properties: {
      EventBusName: { Ref: CENTRAL_BUS_LOGICAL_ID },
      StatementId: 'secretwatch-organization-members',
      Statement: {
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: { 'Fn::GetAtt': [CENTRAL_BUS_LOGICAL_ID, 'Arn'] },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
      },
    },
  };
  for (const [, rule] of eventPatternRules(template)) {
    // The bus's name, as its Ref gives it too; moto's CloudFormation resolves only the attribute to
    // the name, and the deploy test runs against it.
    rule.Properties.EventBusName = { 'Fn::GetAtt': [CENTRAL_BUS_LOGICAL_ID, 'Name'] };
    // That state concerns the events AWS services put on the default bus; forwarded events reach
    // a custom bus whatever their kind, and it is refused there.
    if (rule.Properties.State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS') rule.Properties.State = 'ENABLED';
  }
  if (scanOrganization) applyCentralScan(template, organizationScan(organizationId, scanRegions ?? [], stage), scanRegions, stage);
  else if (scanAccounts?.length || scanRegions?.length) applyCentralScan(template, listedAccountsScan(scanAccounts ?? [], scanRegions ?? [], stage), scanRegions, stage);
  template.Outputs = template.Outputs ?? {};
  template.Outputs.CentralBusArn = {
    Description: 'Event bus the member stacks forward to (their centralBusArn parameter)',
    Value: { 'Fn::GetAtt': [CENTRAL_BUS_LOGICAL_ID, 'Arn'] },
  };
}

/** A scan role's ARN in `account` (an id, or `${AWS::AccountId}`) and `region` (a name, or `${AWS::Region}`): for Fn::Sub. */
function scanRoleArn(account, stage, region) {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:iam::${account}:role/${memberScanRoleName(stage, region)}` };
}

/**
 * scanAccounts (and scanRegions): SCAN_ACCOUNTS, and sts:AssumeRole on exactly those accounts'
 * scan roles of this stage, in this region or each of scanRegions, and with scanRegions the
 * central account's own in those regions (its member stacks there).
 */
function listedAccountsScan(scanAccounts, scanRegions, stage) {
  const regions = scanRegions.length ? scanRegions : ['${AWS::Region}'];
  const resources = scanAccounts.flatMap((account) => regions.map((region) => scanRoleArn(account, stage, region)));
  for (const region of scanRegions) resources.push(scanRoleArn('${AWS::AccountId}', stage, region));
  return {
    variables: scanAccounts.length ? { SCAN_ACCOUNTS: scanAccounts.join(',') } : {},
    statements: [{ Sid: 'AssumeMemberScanRoles', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resources }],
  };
}

/**
 * scanOrganization: SCAN_ORGANIZATION; ListAccounts (it has no resource to scope it to), and
 * sts:AssumeRole on the scan role of any account, in this region or each of scanRegions, as long
 * as that account is in the organization (aws:ResourceOrgID): an account joining later needs no
 * redeploy, one outside never qualifies.
 */
function organizationScan(organizationId, scanRegions, stage) {
  const regions = scanRegions.length ? scanRegions : ['${AWS::Region}'];
  return {
    variables: { SCAN_ORGANIZATION: 'true' },
    statements: [
      { Sid: 'ListOrganizationAccounts', Effect: 'Allow', Action: 'organizations:ListAccounts', Resource: '*' },
      {
        Sid: 'AssumeMemberScanRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: regions.length === 1 ? scanRoleArn('*', stage, regions[0]) : regions.map((region) => scanRoleArn('*', stage, region)),
        Condition: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
      },
    ],
  };
}

/** The units' results, until the run is assembled: items expire on their own (expiresAt, epoch seconds). */
function scanRunsTable(stage) {
  return {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
    Properties: {
      TableName: `secretwatch-${stage}-scan-runs`,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'run', AttributeType: 'S' },
        { AttributeName: 'item', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'run', KeyType: 'HASH' },
        { AttributeName: 'item', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    },
  };
}

function addEnvironment(fn, variables) {
  fn.Properties.Environment = fn.Properties.Environment ?? { Variables: {} };
  fn.Properties.Environment.Variables = { ...fn.Properties.Environment.Variables, ...variables };
}

/**
 * The central scan, fanned out: inventoryScan plans the run, queues one unit per member account
 * and region, scans its own inventory and later assembles the run; the scan workers scan the units.
 * Both get the scan's variables (SCAN_REGIONS, SCAN_ROLE_NAME: the role name with "{region}" for the
 * region, which the function fills in); only the workers may assume the member scan roles.
 */
function applyCentralScan(template, { variables, statements }, scanRegions, stage) {
  const resources = template.Resources;
  const fn = resources[INVENTORY_SCAN_FUNCTION_LOGICAL_ID];
  const role = resources[INVENTORY_SCAN_ROLE_LOGICAL_ID];
  const worker = resources[SCAN_WORKER_FUNCTION_LOGICAL_ID];
  const workerRole = resources[SCAN_WORKER_ROLE_LOGICAL_ID];
  for (const [id, resource] of [
    [INVENTORY_SCAN_FUNCTION_LOGICAL_ID, fn],
    [INVENTORY_SCAN_ROLE_LOGICAL_ID, role],
    [SCAN_WORKER_FUNCTION_LOGICAL_ID, worker],
    [SCAN_WORKER_ROLE_LOGICAL_ID, workerRole],
    [SCAN_WORKER_QUEUE_LOGICAL_ID, resources[SCAN_WORKER_QUEUE_LOGICAL_ID]],
  ]) {
    if (!resource) throw new Error(`serverless/organization.js: ${id} is not in the template`);
  }
  if (resources[SCAN_RUNS_TABLE_LOGICAL_ID]) throw new Error(`serverless/organization.js: ${SCAN_RUNS_TABLE_LOGICAL_ID} is already in the template`);
  resources[SCAN_RUNS_TABLE_LOGICAL_ID] = scanRunsTable(stage);
  const scan = { ...variables, ...(scanRegions?.length ? { SCAN_REGIONS: scanRegions.join(',') } : {}), SCAN_ROLE_NAME: memberScanRoleName(stage, '{region}') };
  const functionName = fn.Properties.FunctionName;
  const table = { Ref: SCAN_RUNS_TABLE_LOGICAL_ID };
  addEnvironment(fn, { ...scan, SCAN_RUNS_TABLE: table, SCAN_UNIT_QUEUE_URL: { Ref: SCAN_WORKER_QUEUE_LOGICAL_ID }, SCAN_ASSEMBLY_FUNCTION: functionName });
  addEnvironment(worker, {
    ...scan,
    SCAN_RUNS_TABLE: table,
    SCAN_DEAD_LETTER_QUEUE_ARN: { 'Fn::GetAtt': [SCAN_WORKER_DEAD_LETTER_QUEUE_LOGICAL_ID, 'Arn'] },
    SCAN_ASSEMBLY_FUNCTION: { Ref: INVENTORY_SCAN_FUNCTION_LOGICAL_ID },
  });
  const tableArn = { 'Fn::GetAtt': [SCAN_RUNS_TABLE_LOGICAL_ID, 'Arn'] };
  // By name, not GetAtt: inventoryScan's own role may not depend on its function.
  const assembler = { 'Fn::Sub': ['arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}', { Name: functionName }] };
  const assembly = { Sid: 'StartAssembly', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: assembler };
  const assume = statements.filter((st) => st.Sid === 'AssumeMemberScanRoles');
  role.Properties.Policies[0].PolicyDocument.Statement.push(
    ...statements.filter((st) => st.Sid !== 'AssumeMemberScanRoles'),
    { Sid: 'QueueScanUnits', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [SCAN_WORKER_QUEUE_LOGICAL_ID, 'Arn'] } },
    { Sid: 'ScanRuns', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query'], Resource: tableArn },
    assembly,
  );
  workerRole.Properties.Policies[0].PolicyDocument.Statement.push(...assume, { Sid: 'ScanRuns', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: tableArn }, assembly);
}

/** The rules forwarding to the central bus, their role, the scan role; nothing else. */
function applyMember(template, { centralBus }, { stage }) {
  const rules = eventPatternRules(template);
  const resources = {};
  for (const id of FRAMEWORK_RESOURCES) if (template.Resources[id]) resources[id] = template.Resources[id];
  for (const [id, rule] of rules) {
    const properties = { ...rule.Properties };
    delete properties.EventBusName;
    properties.Targets = [{ Id: 'central-bus', Arn: centralBus.arn, RoleArn: { 'Fn::GetAtt': [FORWARDING_ROLE_LOGICAL_ID, 'Arn'] } }];
    resources[id] = { Type: 'AWS::Events::Rule', Properties: properties };
  }
  resources[FORWARDING_ROLE_LOGICAL_ID] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `SecretWatch ${stage}: forwards this account's Secrets Manager events to the central bus`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Only this account's rules may use it (confused deputy).
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'forwardToCentralBus',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Sid: 'CentralBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: centralBus.arn }],
          },
        },
      ],
    },
  };
  resources[MEMBER_SCAN_ROLE_LOGICAL_ID] = {
    Type: 'AWS::IAM::Role',
    Properties: {
      // A fixed name, so that the central scan can derive it for any account; IAM names are
      // global, hence the region: one member stack per region.
      RoleName: { 'Fn::Sub': memberScanRoleName(stage) },
      Description: `SecretWatch ${stage}: read-only Secrets Manager metadata for the central scan`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:${centralBus.partition}:iam::${centralBus.account}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      },
      Policies: [
        {
          PolicyName: 'secretsMetadata',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              // ListSecrets has no resource type: it cannot be scoped.
              { Sid: 'ListInventory', Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' },
              {
                Sid: 'CurrentVersionDates',
                Effect: 'Allow',
                Action: 'secretsmanager:ListSecretVersionIds',
                Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*' },
              },
              // Roles, users, groups and their policies: which roles other accounts may assume read secrets. No resource type.
              { Sid: 'AuthorizationDetails', Effect: 'Allow', Action: 'iam:GetAccountAuthorizationDetails', Resource: '*' },
            ],
          },
        },
      ],
    },
  };
  const outputs = {};
  for (const id of FRAMEWORK_OUTPUTS) if (template.Outputs?.[id]) outputs[id] = template.Outputs[id];
  outputs.ForwardingRoleArn = { Description: 'Role the rules use to put events on the central bus', Value: { 'Fn::GetAtt': [FORWARDING_ROLE_LOGICAL_ID, 'Arn'] } };
  outputs.ScanRoleArn = { Description: 'Role the central scan assumes (read-only Secrets Manager metadata)', Value: { 'Fn::GetAtt': [MEMBER_SCAN_ROLE_LOGICAL_ID, 'Arn'] } };
  template.Resources = resources;
  template.Outputs = outputs;
}

/** Rewrites `template` (the compiled CloudFormation template) in place for `settings.mode`. */
function applyMode(template, settings, context) {
  if (settings.mode === 'central') applyCentral(template, settings, context);
  else if (settings.mode === 'member') applyMember(template, settings, context);
  return template;
}

class SecretWatchOrganization {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'after:aws:package:finalize:mergeCustomProviderResources': () => this.apply(),
    };
  }

  apply() {
    const provider = this.serverless.getProvider('aws');
    const settings = organizationSettings(this.serverless.service.custom?.organization ?? {});
    applyMode(this.serverless.service.provider.compiledCloudFormationTemplate, settings, { stage: provider.getStage() });
    if (settings.mode === 'member') this.dropFunctionArtifacts();
  }

  /**
   * A member stack has no function, so its package has no code: the zips built for the rules'
   * sake are deleted and the functions forgotten, which the saved service state (the package's
   * serverless-state.json) and `serverless deploy` then see: nothing is uploaded but the template.
   * The rules came from the functions' events, hence building them first.
   */
  dropFunctionArtifacts() {
    const service = this.serverless.service;
    const serviceDir = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    for (const fn of Object.values(service.functions ?? {})) {
      const artifact = fn?.package?.artifact;
      if (!artifact) continue;
      const path = isAbsolute(artifact) ? artifact : join(serviceDir, artifact);
      if (existsSync(path)) unlinkSync(path);
    }
    service.functions = {};
  }
}

module.exports = SecretWatchOrganization;
module.exports.organizationSettings = organizationSettings;
module.exports.scansMembers = scansMembers;
module.exports.scanRunsTable = scanRunsTable;
module.exports.applyMode = applyMode;
