import type { CheckContext } from '../checks/check';
import type { Config, ConfigKey } from '../config/config';
import type { CloudTrailRecord } from '../events/record';
import type { Finding } from '../findings/finding';
import type { FindingFollowUp } from '../runtime/followUp';

/** One statement of a function role's policy, in CloudFormation's JSON (intrinsics allowed). */
export interface IamStatement {
  Sid: string;
  Action: string | readonly string[];
  Resource: unknown;
  Condition?: Readonly<Record<string, unknown>>;
}

/**
 * A step between a monitor's checks and delivery that needs I/O the checks may not do (removing a
 * public statement, asking IAM Access Analyzer). Off unless its setting is on; then its function's
 * role gets its permissions, and nothing else does.
 */
export interface FollowUpDeclaration {
  /** The details key it writes, e.g. "autoRemediation". */
  name: string;
  /** The boolean setting that turns it on. */
  enabledBy: ConfigKey;
  /** It acts on findings of the checks that carry this label. */
  label: string;
  permissions: readonly IamStatement[];
  /** Builds it; its module (and the SDK client it brings) loads only when it first runs. */
  load(config: Config, applies: (finding: Finding) => boolean): Promise<FindingFollowUp>;
}

/** Where a reader says what it could not read (the function's structured log). */
export interface RecordContextLog {
  warn(message: string, ...extra: Record<string, unknown>[]): void;
}

/** Reads, for one record, what the checks need beyond it (a policy the event names only by ARN). */
export interface RecordContextReader {
  /**
   * The context the checks get besides config and clock. A failure that retrying the event can
   * fix (throttling, a network error) throws, so the invocation is retried; one that it cannot
   * (the policy is gone, access is denied) is answered inside the context, for the checks to see.
   */
  read(record: CloudTrailRecord, log: RecordContextLog): Promise<Pick<CheckContext, 'policies'>>;
}

/** A reader of record context; its module (and the SDK client it brings) loads only when it first runs. */
export interface RecordContextDeclaration {
  load(config: Config): Promise<RecordContextReader>;
}

/** A function that runs on a schedule rather than on events; its rule is a raw AWS::Events::Rule. */
export interface ScheduleDeclaration {
  /** The rule's name: secretwatch-<stage>-<rule>. */
  rule: string;
  description: string;
  /** The setting that holds the interval in hours. */
  intervalSetting: 'scanIntervalHours';
}

/**
 * The SQS queue a function is fed by, one message per invocation, with a dead-letter queue that
 * takes a message after its last attempt and whose messages the same function also receives (to
 * record what could not be done, rather than leave it to a person).
 */
export interface QueueDeclaration {
  /** The queue's name: secretwatch-<stage>-<name>; its dead-letter queue's: that and -dlq. */
  name: string;
  /** Receives of a message before it is dead-lettered. */
  maxReceiveCount: number;
  /** Invocations at once from the queue (the event source's maximum concurrency). */
  maximumConcurrency: number;
  /** Invocations at once from the dead-letter queue. */
  deadLetterConcurrency: number;
}

/**
 * One Lambda function, as data. The deployment (function, role, rules, environment) and the
 * handler's routing are built from it and from the checks that name it as their monitor.
 */
export interface MonitorDeclaration {
  /** The function's name in serverless.yml, e.g. deletionMonitor. */
  name: string;
  description: string;
  /** The handler module under handlers/ (event monitors share one). */
  handler: string;
  /** Absent: the function runs on the events of its checks' rules. */
  schedule?: ScheduleDeclaration;
  followUps?: readonly FollowUpDeclaration[];
  /** Its role's statements beyond what every monitor has (logs, metrics, alerts, bus, failure queue). */
  permissions?: readonly IamStatement[];
  /**
   * Deployed only in these regions (IAM's events reach us-east-1 only); absent: every region. A
   * central stack has it in any region: the member stacks in these regions forward the events.
   */
  regions?: readonly string[];
  /** A boolean deploy parameter that can turn the function off where it would be deployed. */
  deployParameter?: string;
  /** I/O its checks need before they judge a record. */
  recordContext?: RecordContextDeclaration;
  /** Settings it reads beyond its checks' and delivery's. */
  settings?: readonly ConfigKey[];
  memorySize?: number;
  /** Seconds. */
  timeout?: number;
  /** Fixed environment variables beyond the settings. */
  environment?: Readonly<Record<string, string>>;
  /**
   * Deployed only by a central stack whose inventory scan covers member accounts (mode central with
   * scanAccounts, scanOrganization or scanRegions); serverless/organization.js wires it there.
   */
  centralScanOnly?: boolean;
  /** Its handler in such a stack instead of `handler` (one that bundles what the central scan needs). */
  centralScanHandler?: string;
  /** The monitor whose checks this function runs on its behalf (the scan worker runs the inventory scan's); its bundle carries those. */
  checksOf?: string;
  /** False: it sends no finding itself, and its role may not publish, put events or metrics. */
  delivers?: boolean;
  /** Fed by a queue of its own instead of rules; its reserved concurrency is the queues' two limits. */
  queue?: QueueDeclaration;
}

/** The settings every monitor's delivery reads. */
export const DELIVERY_SETTINGS: readonly ConfigKey[] = ['alertTopicArn', 'findingsBusName', 'metricNamespace', 'notifyMinSeverity', 'securityHub', 'securityHubProductArn', 'slackResolved'];

/**
 * The delivery settings of one monitor: an event monitor also records what each channel took in
 * the delivery table, so that a retried invocation re-sends only what failed (a scheduled scan
 * keys nothing by event and does not use it, nor get access to it).
 */
export function deliverySettingsOf(monitor: MonitorDeclaration): readonly ConfigKey[] {
  // Only an event monitor delivers findings keyed by their event (the scan and its workers do not).
  return monitor.schedule || monitor.queue ? DELIVERY_SETTINGS : [...DELIVERY_SETTINGS, 'deliveryTableName'];
}

/** A secret ARN pattern of this account and region, for roles. */
export const SECRETS_OF_THIS_ACCOUNT = { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*' } as const;
