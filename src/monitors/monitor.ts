import type { Config, ConfigKey } from '../config/config';
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

/** A function that runs on a schedule rather than on events; its rule is a raw AWS::Events::Rule. */
export interface ScheduleDeclaration {
  /** The rule's name: secretwatch-<stage>-<rule>. */
  rule: string;
  description: string;
  /** The setting that holds the interval in hours. */
  intervalSetting: 'scanIntervalHours';
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
  /** Deployed only in these regions (IAM's events reach us-east-1 only); absent: every region. */
  regions?: readonly string[];
  /** Settings it reads beyond its checks' and delivery's. */
  settings?: readonly ConfigKey[];
  memorySize?: number;
  /** Seconds. */
  timeout?: number;
  /** Fixed environment variables beyond the settings. */
  environment?: Readonly<Record<string, string>>;
}

/** The settings every monitor's delivery reads. */
export const DELIVERY_SETTINGS: readonly ConfigKey[] = ['alertTopicArn', 'findingsBusName', 'metricNamespace', 'notifyMinSeverity'];

/**
 * The delivery settings of one monitor: an event monitor also records what each channel took in
 * the delivery table, so that a retried invocation re-sends only what failed (a scheduled scan
 * keys nothing by event and does not use it, nor get access to it).
 */
export function deliverySettingsOf(monitor: MonitorDeclaration): readonly ConfigKey[] {
  return monitor.schedule ? DELIVERY_SETTINGS : [...DELIVERY_SETTINGS, 'deliveryTableName'];
}

/** A secret ARN pattern of this account and region, for roles. */
export const SECRETS_OF_THIS_ACCOUNT = { 'Fn::Sub': 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*' } as const;
