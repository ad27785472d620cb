import { partitionOfArn } from '../resources/arn';
import { RESOURCE_TYPES, type ResourceRef, type ResourceType } from '../resources/resource';
import type { Finding } from './finding';
import { accountOf, findingId, regionOf, type FindingSubject } from './findingId';
import type { Severity } from './severity';

/** The ASFF version Security Hub accepts today. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** Security Hub's field limits: a longer value fails the whole import of that finding. */
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 1024;
const MAX_RECOMMENDATION = 512;
const MAX_PRODUCT_FIELD = 2048;

const SEVERITY_LABEL: Record<Severity, AsffSeverityLabel> = { CRITICAL: 'CRITICAL', HIGH: 'HIGH', MEDIUM: 'MEDIUM', LOW: 'LOW', INFO: 'INFORMATIONAL' };
type AsffSeverityLabel = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';

const BEST_PRACTICES = 'Software and Configuration Checks/AWS Security Best Practices';

/**
 * ASFF finding types (namespace/category/classifier) by what a check is about; a check not listed
 * is a configuration check, which every secretwatch finding is at least.
 */
const TYPES: Readonly<Record<string, readonly string[]>> = {
  'secret-force-deleted': ['Effects/Data Destruction', BEST_PRACTICES],
  'secret-deletion-scheduled': ['Effects/Data Destruction', BEST_PRACTICES],
  'secret-deletion-denied': ['Unusual Behaviors/User', BEST_PRACTICES],
  'deleted-secret-accessed': ['Unusual Behaviors/Application', BEST_PRACTICES],
  'secret-policy-public': ['Effects/Data Exposure', BEST_PRACTICES],
  'secret-policy-cross-account': ['Effects/Data Exposure', BEST_PRACTICES],
  'secret-policy-change-denied': ['Unusual Behaviors/User', BEST_PRACTICES],
  'secret-replicated-to-unapproved-region': ['Effects/Data Exposure', BEST_PRACTICES],
  'identity-policy-reads-all-secrets': ['Effects/Data Exposure', BEST_PRACTICES],
  'identity-policy-administers-all-secrets': ['Effects/Data Exposure', BEST_PRACTICES],
  'secrets-readable-from-other-account': ['Effects/Data Exposure', BEST_PRACTICES],
};

export type AsffComplianceStatus = 'PASSED' | 'FAILED';

export interface AsffResource {
  Type: ResourceType;
  Id: string;
  Partition: string;
  Region: string;
  Details?: { AwsSecretsManagerSecret?: { Name: string }; AwsIamRole?: { RoleName: string } };
}

/** One finding in the AWS Security Finding Format, as BatchImportFindings takes it. */
export interface AsffFinding {
  SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  Id: string;
  ProductArn: string;
  GeneratorId: string;
  AwsAccountId: string;
  Region: string;
  Types: string[];
  CreatedAt: string;
  UpdatedAt: string;
  FirstObservedAt?: string;
  LastObservedAt?: string;
  Severity: { Label: AsffSeverityLabel; Original: string };
  Title: string;
  Description: string;
  Remediation: { Recommendation: { Text: string; Url?: string } };
  SourceUrl?: string;
  ProductFields: Record<string, string>;
  Resources: AsffResource[];
  Compliance: { Status: AsffComplianceStatus };
  RecordState: 'ACTIVE' | 'ARCHIVED';
  Workflow?: { Status: 'RESOLVED' };
  FindingProviderFields: { Severity: { Label: AsffSeverityLabel; Original: string }; Types: string[] };
}

export interface AsffOptions {
  /** The moment of the import: UpdatedAt, and CreatedAt of a scan finding. */
  now: Date;
  /**
   * The account whose default product imports the finding (the central account imports its
   * members' findings); default: the finding's own account.
   */
  productAccount?: string;
  /** The region of the product; default: the finding's region. */
  productRegion?: string;
  /** Where docs/alerts.md is published (e.g. the repository's page of it): SourceUrl and Remediation's Url. */
  documentationBaseUrl?: string;
}

/** A finding cannot be expressed in ASFF: which one, and why. */
export class AsffMappingError extends Error {
  override readonly name = 'AsffMappingError';
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The account's default product: where a customer's own findings go. */
export function defaultProductArn(partition: string, region: string, account: string): string {
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

function resourceDetails(resource: ResourceRef): AsffResource['Details'] | undefined {
  if (resource.type === 'AwsSecretsManagerSecret' && resource.name) return { AwsSecretsManagerSecret: { Name: resource.name } };
  if (resource.type === 'AwsIamRole' && resource.name) return { AwsIamRole: { RoleName: resource.name } };
  return undefined;
}

/** The resource as ASFF names it: by ARN where known, accounts in ASFF's own form. */
export function asffResource(resource: ResourceRef, partition: string, region: string): AsffResource {
  const id = resource.type === 'AwsAccount' ? `AWS::::Account:${resource.id ?? resource.arn ?? resource.name ?? 'unknown'}` : (resource.arn ?? resource.id ?? resource.name ?? 'unknown');
  const details = resourceDetails(resource);
  return { Type: resource.type, Id: id, Partition: partition, Region: region, ...(details ? { Details: details } : {}) };
}

/** The resource of an ASFF finding, as a finding names it (the inverse of asffResource). */
export function resourceOfAsff(finding: AsffFinding): ResourceRef {
  const first = finding.Resources[0];
  const type = (RESOURCE_TYPES as readonly string[]).includes(first?.Type) ? first.Type : 'AwsSecretsManagerSecret';
  const id = first?.Id ?? null;
  const account = id?.startsWith('AWS::::Account:') ? id.slice('AWS::::Account:'.length) : null;
  const name = first?.Details?.AwsSecretsManagerSecret?.Name ?? first?.Details?.AwsIamRole?.RoleName ?? null;
  return { type, arn: id?.startsWith('arn:') ? id : null, name: account ?? name, id: account ?? id };
}

interface Location {
  account: string;
  region: string;
  partition: string;
  productArn: string;
}

function locate(subject: FindingSubject, options: Pick<AsffOptions, 'productAccount' | 'productRegion'>): Location {
  const account = accountOf(subject);
  const region = regionOf(subject) ?? options.productRegion ?? null;
  if (!account) throw new AsffMappingError(`${subject.check}: the finding names no account (AwsAccountId is required)`);
  if (!region) throw new AsffMappingError(`${subject.check}: the finding names no region (the product ARN needs one)`);
  const partition = partitionOfArn(subject.resource.arn);
  const productArn = defaultProductArn(partition, options.productRegion ?? region, options.productAccount ?? account);
  return { account, region, partition, productArn };
}

function productFields(finding: Finding): Record<string, string> {
  const fields: Record<string, string | null | undefined> = {
    'secretwatch/check': finding.check,
    'secretwatch/documentation': finding.documentation || undefined,
    'secretwatch/eventId': finding.event?.id,
    'secretwatch/eventName': finding.event?.name,
    'secretwatch/actorArn': finding.actor?.arn,
    'secretwatch/actorType': finding.actor?.type,
    'secretwatch/sourceIp': finding.actor?.sourceIp,
    'secretwatch/details': Object.keys(finding.details).length ? JSON.stringify(finding.details) : undefined,
  };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value) out[key] = clip(value, MAX_PRODUCT_FIELD);
  return out;
}

function documentationUrl(finding: Finding, base: string | undefined): string | undefined {
  if (!base || !finding.documentation) return undefined;
  const anchor = finding.documentation.includes('#') ? finding.documentation.slice(finding.documentation.indexOf('#')) : '';
  return `${base.replace(/#.*$/, '')}${anchor}`;
}

/**
 * A finding in ASFF: FAILED and ACTIVE, under the stable Id of its check and resource. Throws an
 * AsffMappingError when the finding names no account or region (Security Hub requires both).
 */
export function toAsff(finding: Finding, options: AsffOptions): AsffFinding {
  const where = locate(finding, options);
  const now = options.now.toISOString();
  const observed = finding.event?.time;
  const types = [...(TYPES[finding.check] ?? [BEST_PRACTICES])];
  const severity = { Label: SEVERITY_LABEL[finding.severity], Original: finding.severity };
  const url = documentationUrl(finding, options.documentationBaseUrl);
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId({ ...finding, account: where.account, region: where.region }),
    ProductArn: where.productArn,
    GeneratorId: finding.check,
    AwsAccountId: where.account,
    Region: where.region,
    Types: types,
    CreatedAt: observed ?? now,
    UpdatedAt: now,
    ...(observed ? { FirstObservedAt: observed, LastObservedAt: observed } : {}),
    Severity: severity,
    Title: clip(finding.title, MAX_TITLE),
    Description: clip(finding.description || finding.title, MAX_DESCRIPTION),
    Remediation: { Recommendation: { Text: clip(finding.remediation || finding.title, MAX_RECOMMENDATION), ...(url ? { Url: url } : {}) } },
    ...(url ? { SourceUrl: url } : {}),
    ProductFields: productFields(finding),
    Resources: [asffResource(finding.resource, where.partition, where.region)],
    Compliance: { Status: 'FAILED' },
    RecordState: 'ACTIVE',
    FindingProviderFields: { Severity: severity, Types: types },
  };
}

/**
 * The update that closes an earlier finding: the same Id, PASSED, ARCHIVED and RESOLVED. It is
 * built from the earlier record itself (what Security Hub returned) so that nothing the first
 * import said is lost; only the state, the reason and the time change.
 */
export function resolvedAsff(earlier: AsffFinding, reason: string, now: Date): AsffFinding {
  return {
    ...earlier,
    UpdatedAt: now.toISOString(),
    ProductFields: { ...earlier.ProductFields, 'secretwatch/resolvedBy': clip(reason, MAX_PRODUCT_FIELD) },
    Compliance: { Status: 'PASSED' },
    RecordState: 'ARCHIVED',
    Workflow: { Status: 'RESOLVED' },
  };
}

/** `--format asff`: the JSON that BatchImportFindings accepts, one array. */
export function asffDocument(findings: readonly AsffFinding[]): string {
  return `${JSON.stringify(findings, null, 2)}\n`;
}
