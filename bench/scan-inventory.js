'use strict';
// A Secrets Manager inventory of any size for the scan benchmark, as ListSecrets returns it (dates
// in epoch seconds), in the proportions of a large account: most secrets rotating on schedule,
// many without rotation, some stale, some never read, some exempt or pending deletion, and 1% whose
// value was put by hand after their baseline (they look overdue, so their AWSCURRENT version is
// looked up: each look-up is one more API call and about 0.35 ms of SDK CPU). Deterministic: the same inventory for the same n and clock.
const DAY = 86_400;
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** [share of the inventory, what such a secret is]; `manual` ones need a version look-up. */
const MIX = [
  [0.44, 'rotating'],
  [0.2, 'plain'],
  [0.15, 'stale'],
  [0.01, 'manual'],
  [0.05, 'missed'],
  [0.05, 'unread'],
  [0.04, 'exempt'],
  [0.03, 'deleting'],
  [0.03, 'rds'],
];

function kindOf(i, n) {
  let edge = 0;
  for (const [share, kind] of MIX) {
    edge += share * n;
    if (i < edge) return kind;
  }
  return MIX[0][1];
}

/**
 * n secrets around `now` (epoch seconds): { secrets (ListSecrets entries), versionDates (ARN ->
 * epoch seconds of the AWSCURRENT version), lookups (how many look overdue) }.
 */
function inventory(n, now) {
  const secrets = [];
  const versionDates = new Map();
  let lookups = 0;
  for (let i = 0; i < n; i++) {
    const kind = kindOf(i, n);
    const name = `team-${i % 97}/${kind}/service-${i}`;
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${(i * 7919).toString(36).padStart(6, '0').slice(-6)}`;
    const base = { ARN: arn, Name: name, KmsKeyId: i % 5 ? `arn:aws:kms:${REGION}:${ACCOUNT}:key/k${i % 3}` : undefined, Tags: [{ Key: 'team', Value: `team-${i % 97}` }] };
    const rotation = (days, last) => ({
      RotationEnabled: true,
      RotationRules: { AutomaticallyAfterDays: days },
      RotationLambdaARN: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:rotator-${i % 7}`,
      LastRotatedDate: last,
      LastChangedDate: last,
      NextRotationDate: last + days * DAY,
    });
    let s;
    switch (kind) {
      case 'rotating':
        s = { ...base, CreatedDate: now - 400 * DAY, ...rotation(30, now - (1 + (i % 29)) * DAY), LastAccessedDate: now - DAY };
        break;
      case 'plain':
        s = { ...base, CreatedDate: now - (2 + (i % 80)) * DAY, LastChangedDate: now - (2 + (i % 80)) * DAY, LastAccessedDate: now - DAY };
        break;
      case 'stale':
        s = { ...base, CreatedDate: now - (100 + (i % 300)) * DAY, LastChangedDate: now - (100 + (i % 300)) * DAY, ...(i % 2 ? { LastAccessedDate: now - DAY } : {}) };
        break;
      case 'manual':
        lookups++;
        s = { ...base, CreatedDate: now - 200 * DAY, LastChangedDate: now - (1 + (i % 150)) * DAY, LastAccessedDate: now - DAY };
        versionDates.set(arn, now - (1 + (i % 150)) * DAY);
        break;
      case 'missed':
        s = { ...base, CreatedDate: now - 400 * DAY, ...rotation(30, now - (32 + (i % 60)) * DAY), LastAccessedDate: now - DAY };
        break;
      case 'unread':
        s = { ...base, CreatedDate: now - 400 * DAY, ...rotation(30, now - 5 * DAY), LastAccessedDate: now - 120 * DAY };
        break;
      case 'exempt':
        s = { ...base, CreatedDate: now - 500 * DAY, Tags: [...base.Tags, { Key: 'secretwatch:exempt', Value: 'vendor-managed' }] };
        break;
      case 'deleting':
        s = { ...base, CreatedDate: now - 300 * DAY, DeletedDate: now - 3 * DAY };
        break;
      default: // rds
        s = { ...base, Name: `rds!db-${i}`, ARN: arn.replace(name, `rds!db-${i}`), OwningService: 'rds', CreatedDate: now - 300 * DAY, ...rotation(7, now - 2 * DAY), LastAccessedDate: now - DAY };
    }
    secrets.push(JSON.parse(JSON.stringify(s)));
  }
  return { secrets, versionDates, lookups };
}

/** The same inventory as seededMoto.py wants it (test/integration/seededMoto.py). */
function seedSpec(n, now) {
  const { secrets, versionDates, lookups } = inventory(n, now);
  return {
    lookups,
    spec: {
      account: ACCOUNT,
      region: REGION,
      secrets: secrets.map((s) => ({
        name: s.Name,
        created: s.CreatedDate,
        lastChanged: versionDates.get(s.ARN) ?? s.LastChangedDate ?? s.CreatedDate,
        ...(s.LastAccessedDate ? { lastAccessed: s.LastAccessedDate } : {}),
        ...(s.DeletedDate ? { deleted: s.DeletedDate } : {}),
        ...(s.KmsKeyId ? { kmsKeyId: s.KmsKeyId } : {}),
        tags: [...(s.Tags ?? []), ...(s.OwningService ? [{ Key: 'aws:secretsmanager:owningService', Value: s.OwningService }] : [])],
        ...(s.RotationEnabled ? { rotation: { days: s.RotationRules.AutomaticallyAfterDays, lambdaArn: s.RotationLambdaARN, lastRotated: s.LastRotatedDate, next: s.NextRotationDate } } : {}),
      })),
    },
  };
}

module.exports = { inventory, seedSpec, ACCOUNT, REGION };
