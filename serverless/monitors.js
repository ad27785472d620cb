'use strict';

// Variable resolver for serverless.yml: the monitors' functions, their least-privilege roles and
// their EventBridge rules, built from the declarations in src/monitors and from the events and
// settings their checks declare (compiled in memory by esbuild). Adding a check or a monitor
// changes the deployment without an edit here or in serverless.yml.
//   functions:  - ${file(serverless/monitors.js):functions}
//   resources:  - ${file(serverless/monitors.js):resources}
//   the rule dead-letter queue's aws:SourceArn: ${file(serverless/monitors.js):ruleArns}
// A resolver rather than a plugin over the compiled template: serverless-esbuild bundles the
// functions that exist when packaging starts, before any such hook runs.
//
// For each monitor whose `regions` include the deploy region (none listed: every region):
//   the function   its handler, an environment holding only the settings it reads (its checks',
//                  its follow-ups' switches, its own, delivery's), retried twice when an
//                  asynchronous invocation fails, then sent to MonitorFailureQueue
//   its role       <Name>Role: what every monitor needs plus its declared permissions; each
//                  follow-up's permissions are a separate role policy, present only when the
//                  follow-up's setting is on
//   its rules      one per rule its checks name; ENABLED rules are the Framework's eventBridge
//                  events, rules that must see read-only calls are raw AWS::Events::Rule resources
//                  (only they can have the state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS),
//                  plus the schedule of a scheduled monitor; every target retries, then
//                  dead-letters into RuleDeadLetterQueue
//   its queue      a monitor fed by a queue (the central scan's workers): the queue and its
//                  dead-letter queue, encrypted, TLS only; the function receives from both, one
//                  message at a time, its reserved concurrency the two event sources' limits
// A monitor marked centralScanOnly is deployed only when context.centralScan is true (mode central
// with member accounts or regions to scan); serverless/organization.js then wires the rest.

const { loadTypeScript } = require('./typescript');
const { scanSchedule } = require('./settings');
const { parameterError } = require('./errors');
const { organizationSettings, scansMembers } = require('./organization');

const SERVICE = 'secretwatch';
const ALERT_TOPIC = 'AlertTopic';
const ALERT_TOPIC_KEY = 'AlertTopicKey';
const FAILURE_QUEUE = 'MonitorFailureQueue';
const DELIVERY_TABLE = 'DeliveryTable';
const RULE_DEAD_LETTER_QUEUE = 'RuleDeadLetterQueue';
/** Asynchronous invocation (how EventBridge invokes): two retries, then the failure queue. */
const MAXIMUM_RETRY_ATTEMPTS = 2;
const MAXIMUM_EVENT_AGE_SECONDS = 21600;

// Role policies that stacks already deployed hold under these logical ids. Under a new id
// CloudFormation would create the policy, then delete the old resource and with it the role
// policy of the same name, leaving the function without the permissions.
const DEPLOYED_FOLLOW_UP_POLICY_IDS = {
  'policyMonitor-remediatePublicPolicy': 'PolicyMonitorRemediationPolicy',
  'policyMonitor-confirmWithAccessAnalyzer': 'PolicyMonitorAccessAnalyzerPolicy',
};

// Stacks already deployed hold these rules under the Framework's logical ids, which number a
// function's eventBridge events in order (<Function>rule1EventBridgeRule): they stay first, so that
// a rule added to a monitor never renumbers them (a renumbered rule would be created anew under its
// name, then deleted with the old logical id).
const DEPLOYED_EVENT_RULES = ['secret-deletion', 'secret-rotation', 'secret-policy-change'];

/** The Framework's own normalisation of a function name into a logical id prefix. */
function normalized(name) {
  const text = String(name).replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "secret-access-after-deletion" -> "SecretAccessAfterDeletion" */
function pascal(name) {
  return String(name)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

const getAtt = (id, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

function allow({ Sid, Action, Resource, Condition }) {
  return { Sid, Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) };
}

/** The TypeScript the deployment is built from: the same modules the functions and the CLI run. */
function loadSource() {
  const { monitors } = loadTypeScript('src/monitors/index.ts');
  const { rulesOf, eventRules } = loadTypeScript('src/monitors/rules.ts');
  const { deliverySettingsOf } = loadTypeScript('src/monitors/monitor.ts');
  const { checksRunBy } = loadTypeScript('src/checks/index.ts');
  const { envName } = loadTypeScript('src/config/config.ts', { bundleDependencies: true });
  return {
    monitors,
    rulesOf,
    eventRules,
    deliverySettingsOf,
    checkSettingsOf: (monitor) => checksRunBy(monitor.name).flatMap((check) => check.settings),
    envName,
  };
}

// The account's default product: what BatchImportFindings imports into, and all it may import into.
const SECURITY_HUB_PRODUCT = { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:product/${AWS::AccountId}/default' };
// GetFindings is authorised on the hub: where the open findings are looked up to be closed.
const SECURITY_HUB_HUB = { 'Fn::Sub': 'arn:${AWS::Partition}:securityhub:${AWS::Region}:${AWS::AccountId}:hub/default' };

function securityHubOn(context) {
  return context.settings.SECURITY_HUB === 'true';
}

/** Only with securityHub=true: import into the default product, and read the hub's open findings to close them. */
function securityHubStatements(context) {
  if (!securityHubOn(context)) return [];
  return [
    { Sid: 'SecurityHubImport', Effect: 'Allow', Action: 'securityhub:BatchImportFindings', Resource: SECURITY_HUB_PRODUCT },
    { Sid: 'SecurityHubOpenFindings', Effect: 'Allow', Action: 'securityhub:GetFindings', Resource: SECURITY_HUB_HUB },
  ];
}

function unique(values) {
  return [...new Set(values)];
}

/** The setting keys a monitor's function reads, delivery's first. */
function settingsOf(monitor, source) {
  return unique([...source.deliverySettingsOf(monitor), ...source.checkSettingsOf(monitor), ...(monitor.followUps ?? []).map((f) => f.enabledBy), ...(monitor.settings ?? [])]);
}

function environmentOf(monitor, source, context) {
  const env = {};
  for (const key of settingsOf(monitor, source)) {
    const name = source.envName(key);
    if (key === 'alertTopicArn') env[name] = { Ref: ALERT_TOPIC };
    else if (key === 'findingsBusName') env[name] = context.findingsBus.name;
    else if (key === 'securityHubProductArn') env[name] = securityHubOn(context) ? SECURITY_HUB_PRODUCT : '';
    else if (key === 'deliveryTableName') env[name] = { Ref: DELIVERY_TABLE };
    else if (context.settings[name] !== undefined) env[name] = context.settings[name];
    else throw new Error(`serverless/monitors.js: ${monitor.name} reads the setting ${key}, which no deploy parameter sets (serverless/settings.js)`);
  }
  env.LOG_LEVEL = context.settings.LOG_LEVEL;
  return { ...env, ...(monitor.environment ?? {}) };
}

/** A queue-fed monitor's queue and dead-letter queue: logical ids and names. */
function queueIds(monitor, context) {
  const prefix = normalized(monitor.name);
  const name = `${SERVICE}-${context.stage}-${monitor.queue.name}`;
  return { queue: `${prefix}Queue`, deadLetter: `${prefix}DeadLetterQueue`, name, deadLetterName: `${name}-dlq` };
}

/** The queue, its dead-letter queue (14 days), both encrypted and refusing plain HTTP. */
function queueResources(monitor, context) {
  const ids = queueIds(monitor, context);
  const tlsOnly = (id) => ({
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [{ Ref: id }],
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: getAtt(id), Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      },
    },
  });
  return {
    [ids.queue]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: ids.name,
        // Longer than a run of the function: a message is not handed to a second worker while the first still works on it.
        VisibilityTimeout: 2 * (monitor.timeout ?? 30),
        MessageRetentionPeriod: 86400,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: getAtt(ids.deadLetter), maxReceiveCount: monitor.queue.maxReceiveCount },
      },
    },
    [`${ids.queue}Policy`]: tlsOnly(ids.queue),
    [ids.deadLetter]: {
      Type: 'AWS::SQS::Queue',
      Properties: { QueueName: ids.deadLetterName, VisibilityTimeout: 2 * (monitor.timeout ?? 30), MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true },
    },
    [`${ids.deadLetter}Policy`]: tlsOnly(ids.deadLetter),
  };
}

/** The Framework's sqs events: one message an invocation, failures reported per message. */
function queueEvents(monitor, context) {
  const ids = queueIds(monitor, context);
  const event = (id, maximumConcurrency) => ({ sqs: { arn: getAtt(id), batchSize: 1, maximumConcurrency, functionResponseType: 'ReportBatchItemFailures' } });
  return [event(ids.queue, monitor.queue.maximumConcurrency), event(ids.deadLetter, monitor.queue.deadLetterConcurrency)];
}

/** What the monitor's role allows: its log group, `declared` (its own permissions), then delivery's or its queues'. */
function roleStatements(monitor, ids, declared, context, source) {
  const own = [{ Sid: 'OwnLogGroup', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: getAtt(ids.logGroup) }, ...declared.map(allow)];
  const queues = monitor.queue
    ? [
        {
          Sid: 'ReceiveOwnQueues',
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
          Resource: [getAtt(queueIds(monitor, context).queue), getAtt(queueIds(monitor, context).deadLetter)],
        },
      ]
    : [];
  if (monitor.delivers === false) return [...own, ...queues];
  // The delivery ledger: claim, read, record and release its own items; no scan, no query.
  const ledger = source.deliverySettingsOf(monitor).includes('deliveryTableName')
    ? [{ Sid: 'DeliveryLedger', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], Resource: getAtt(DELIVERY_TABLE) }]
    : [];
  return [
    ...own,
    ...queues,
    // PutMetricData has no resource type: the namespace condition is its scope.
    {
      Sid: 'Metrics',
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': context.settings.METRIC_NAMESPACE } },
    },
    { Sid: 'Alerts', Effect: 'Allow', Action: 'sns:Publish', Resource: { Ref: ALERT_TOPIC } },
    {
      Sid: 'AlertTopicKey',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: getAtt(ALERT_TOPIC_KEY),
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Sub': 'sns.${AWS::Region}.amazonaws.com' } } },
    },
    { Sid: 'Findings', Effect: 'Allow', Action: 'events:PutEvents', Resource: context.findingsBus.arn },
    // Lambda's on-failure destination sends with the function's role.
    { Sid: 'FailureDestination', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: getAtt(FAILURE_QUEUE) },
    ...securityHubStatements(context),
    ...ledger,
  ];
}

function role(monitor, statements, context) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `SecretWatch ${context.stage} ${monitor.name}`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [{ PolicyName: monitor.name, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}

function followUpPolicies(monitor, ids, context, source) {
  const resources = {};
  for (const followUp of monitor.followUps ?? []) {
    if (context.settings[source.envName(followUp.enabledBy)] !== 'true') continue;
    const policyName = `${monitor.name}-${followUp.enabledBy}`;
    const logicalId = DEPLOYED_FOLLOW_UP_POLICY_IDS[policyName] ?? `${normalized(monitor.name)}${pascal(followUp.name)}Policy`;
    resources[logicalId] = {
      Type: 'AWS::IAM::RolePolicy',
      Properties: {
        RoleName: { Ref: ids.role },
        PolicyName: policyName,
        PolicyDocument: { Version: '2012-10-17', Statement: followUp.permissions.map(allow) },
      },
    };
  }
  return resources;
}

function ruleName(context, name) {
  return `${SERVICE}-${context.stage}-${name}`;
}

function retryPolicy(context) {
  return { MaximumEventAgeInSeconds: context.ruleRetryPolicy.maximumEventAge, MaximumRetryAttempts: context.ruleRetryPolicy.maximumRetryAttempts };
}

/** A raw rule targeting the monitor's function, and the permission to invoke it from that rule only. */
function rawRule(logicalId, monitor, ids, properties, context) {
  return {
    [logicalId]: {
      Type: 'AWS::Events::Rule',
      Properties: {
        ...properties,
        Targets: [{ Id: monitor.name, Arn: getAtt(ids.function), RetryPolicy: retryPolicy(context), DeadLetterConfig: { Arn: getAtt(RULE_DEAD_LETTER_QUEUE) } }],
      },
    },
    [`${logicalId}Permission`]: {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: getAtt(ids.function), Principal: 'events.amazonaws.com', SourceArn: getAtt(logicalId) },
    },
  };
}

/** A deploy parameter that turns a monitor off: true (the default) or false. */
function switchParameter(name, raw) {
  const value = String(raw ?? 'true')
    .trim()
    .toLowerCase();
  if (['true', '1', 'yes', 'on', ''].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw parameterError(`Invalid deploy parameter ${name}: "${String(raw).trim()}" (expected true or false)`);
}

/**
 * Whether the stack has the monitor: not when its deploy parameter turns it off; otherwise in its
 * regions, and in a central stack whatever its region, since the member stacks in those regions
 * forward the events there.
 */
function isDeployed(monitor, context) {
  if (monitor.deployParameter && !switchParameter(monitor.deployParameter, context.switches?.[monitor.deployParameter])) return false;
  if (!monitor.regions) return true;
  return context.mode === 'central' || monitor.regions.includes(context.region);
}

/**
 * The deployment of the monitors in context.region: { functions, resources: { Resources },
 * ruleArns }. context: { stage, region, settings (the environment of serverless/settings.js),
 * findingsBus ({ name, arn } of serverless/findingsBus.js), ruleRetryPolicy ({ maximumEventAge,
 * maximumRetryAttempts }), mode (standalone, central or member), switches (deploy parameter name ->
 * value, for the monitors' deployParameter), centralScan (deploy the centralScanOnly monitors) }.
 * source: what loadSource() returns; tests pass their own monitors.
 */
function monitorDeployment(context, source = loadSource()) {
  const deployed = source.monitors.filter((m) => isDeployed(m, context) && (!m.centralScanOnly || context.centralScan === true));
  const rules = source.eventRules(deployed);
  const functions = {};
  const Resources = {};
  const eventRuleArns = [];
  const scheduleArns = [];
  for (const monitor of deployed) {
    const prefix = normalized(monitor.name);
    const ids = { function: `${prefix}LambdaFunction`, logGroup: `${prefix}LogGroup`, role: `${prefix}Role` };
    const events = [];
    const deployedFirst = (rule) => (DEPLOYED_EVENT_RULES.includes(rule.name) ? 0 : 1);
    for (const rule of rules.filter((r) => r.monitor === monitor.name).sort((a, b) => deployedFirst(a) - deployedFirst(b))) {
      if (rule.allManagementEvents) {
        const logicalId = `${pascal(rule.name)}Rule`;
        Object.assign(
          Resources,
          rawRule(
            logicalId,
            monitor,
            ids,
            { Name: ruleName(context, rule.name), Description: rule.description, EventPattern: rule.pattern, State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS' },
            context,
          ),
        );
        eventRuleArns.push(getAtt(logicalId));
      } else {
        events.push({
          eventBridge: {
            name: ruleName(context, rule.name),
            description: rule.description,
            pattern: rule.pattern,
            retryPolicy: context.ruleRetryPolicy,
            deadLetterQueueArn: getAtt(RULE_DEAD_LETTER_QUEUE),
          },
        });
        // The Framework names these rules' logical ids after the stage; their ARNs follow from the name.
        eventRuleArns.push({ 'Fn::Sub': `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/${ruleName(context, rule.name)}` });
      }
    }
    if (monitor.schedule) {
      // A `schedule` event cannot have a dead-letter queue: the schedule is a raw rule.
      const logicalId = `${prefix}ScheduleRule`;
      const hours = Number(context.settings[source.envName(monitor.schedule.intervalSetting)]);
      if (!Number.isInteger(hours) || hours < 1) throw new Error(`serverless/monitors.js: ${monitor.name} is scheduled by ${monitor.schedule.intervalSetting}, which holds no whole number of hours`);
      Object.assign(
        Resources,
        rawRule(
          logicalId,
          monitor,
          ids,
          { Name: ruleName(context, monitor.schedule.rule), Description: monitor.schedule.description, ScheduleExpression: scanSchedule(hours), State: 'ENABLED' },
          context,
        ),
      );
      scheduleArns.push(getAtt(logicalId));
    }
    Resources[ids.role] = role(monitor, roleStatements(monitor, ids, monitor.permissions ?? [], context, source), context);
    Object.assign(Resources, followUpPolicies(monitor, ids, context, source));
    if (monitor.queue) Object.assign(Resources, queueResources(monitor, context));
    functions[monitor.name] = {
      handler: context.centralScan === true && monitor.centralScanHandler ? monitor.centralScanHandler : monitor.handler,
      description: monitor.description,
      role: ids.role,
      ...(monitor.memorySize !== undefined ? { memorySize: monitor.memorySize } : {}),
      ...(monitor.timeout !== undefined ? { timeout: monitor.timeout } : {}),
      environment: environmentOf(monitor, source, context),
      // A queue-fed function is invoked synchronously by its event sources, which retry and dead-letter
      // themselves; the others are invoked asynchronously.
      ...(monitor.queue
        ? { reservedConcurrency: monitor.queue.maximumConcurrency + monitor.queue.deadLetterConcurrency, events: [...events, ...queueEvents(monitor, context)] }
        : {
            maximumRetryAttempts: MAXIMUM_RETRY_ATTEMPTS,
            maximumEventAge: MAXIMUM_EVENT_AGE_SECONDS,
            destinations: { onFailure: { type: 'sqs', arn: getAtt(FAILURE_QUEUE) } },
            events,
          }),
    };
  }
  return { functions, resources: { Resources }, ruleArns: [...eventRuleArns, ...scheduleArns] };
}

module.exports = async ({ resolveVariable }) => {
  const source = loadSource();
  const switchNames = [...new Set(source.monitors.map((m) => m.deployParameter).filter(Boolean))];
  const [stage, region, settings, findingsBus, ruleRetryPolicy, mode, organization, ...switchValues] = await Promise.all([
    resolveVariable('sls:stage'),
    resolveVariable('self:provider.region'),
    resolveVariable('self:custom.settings'),
    resolveVariable('self:custom.findingsBus'),
    resolveVariable('self:custom.ruleRetryPolicy'),
    resolveVariable('param:mode'),
    resolveVariable('self:custom.organization'),
    ...switchNames.map((name) => resolveVariable(`param:${name}`)),
  ]);
  const switches = Object.fromEntries(switchNames.map((name, i) => [name, switchValues[i]]));
  return monitorDeployment(
    {
      stage,
      region,
      settings,
      findingsBus,
      ruleRetryPolicy,
      mode: String(mode ?? 'standalone')
        .trim()
        .toLowerCase(),
      switches,
      centralScan: scansMembers(organizationSettings(organization)),
    },
    source,
  );
};
module.exports.monitorDeployment = monitorDeployment;
module.exports.loadSource = loadSource;
