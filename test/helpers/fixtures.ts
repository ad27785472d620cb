import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONFIG, type Config } from '../../src/config/config';
import { parseEvent } from '../../src/events/parse';
import type { CloudTrailRecord } from '../../src/events/record';
import { checkById } from '../../src/checks';
import { catalogueEntry, runEventChecks, type CheckContext, type EventCheck } from '../../src/checks/check';
import { secretResource, type Finding } from '../../src/findings/finding';
import type { SecretRef } from '../../src/resources/secret';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const CLOUDTRAIL = join(FIXTURES, 'cloudtrail');

/** A sample as published: a bare record or an EventBridge event. */
export function sample(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(CLOUDTRAIL, path), 'utf8')) as Record<string, unknown>;
}

export function sampleRecord(path: string): CloudTrailRecord {
  return parseEvent(sample(path)).record;
}

/** Every sample file of one eventName, as "<eventName>/<file>". */
export function samplesOf(eventName: string): string[] {
  return readdirSync(join(CLOUDTRAIL, eventName))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${eventName}/${f}`);
}

export function allSamples(): string[] {
  return readdirSync(CLOUDTRAIL, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => samplesOf(d.name));
}

export const FIXED_NOW = new Date('2024-06-01T00:00:00Z');

export function ctx(overrides: Partial<Config> = {}): CheckContext {
  return { config: { ...DEFAULT_CONFIG, ...overrides }, now: FIXED_NOW };
}

/** A copy of a sample with fields changed, for cases no published record shows. */
export function derive(path: string, change: (record: Record<string, unknown>) => void): Record<string, unknown> {
  const copy = structuredClone(sample(path));
  change('detail' in copy ? (copy.detail as Record<string, unknown>) : copy);
  return copy;
}

/** The keys every finding has, in the order consumers of the JSON output see them. */
export const FINDING_KEYS = ['check', 'severity', 'title', 'resource', 'secret', 'account', 'region', 'actor', 'event', 'details', 'remediation', 'description', 'documentation'];

/** A family of checks gives the one finding `expected` describes for a sample, or none when it is null. */
export function expectSampleVerdict(checks: readonly EventCheck[], path: string, expected: object | null): void {
  const findings = runEventChecks(checks, sampleRecord(path), ctx());
  if (expected === null) {
    expect(findings).toEqual([]);
    return;
  }
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject(expected);
  expect(Object.keys(findings[0])).toEqual(FINDING_KEYS);
}

/**
 * A finding about a secret equals `expected` (written without the fields every such finding derives
 * the same way), and those fields are right: the resource is its secret, the description and the
 * catalogue entry its check's.
 */
export function expectSecretFinding(received: Finding | undefined, expected: object): void {
  expect(received).toBeDefined();
  const { resource, description, documentation, ...rest } = received as Finding;
  expect(rest).toEqual(expected);
  expect(resource).toEqual(secretResource(rest.secret as SecretRef));
  expect(description).toBe(checkById(rest.check)?.description);
  expect(documentation).toBe(catalogueEntry(rest.check));
}
