'use strict';
// The 1 in 1,000: real Secrets Manager records from test/fixtures/cloudtrail, made distinct
// (eventID, requestID, eventTime, secret names and ARN suffixes; the owner account and region
// of the file they land in), plus what each one must produce (the checks in docs/alerts.md).
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { loadTypeScript } = require('../serverless/typescript');
const { iso } = require('./haystack');

const FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'cloudtrail');

/** The event checks by family, from the checks' own registry; a finding's family is how the bench counts it. */
const { allChecks } = loadTypeScript('src/checks/index.ts');
const FAMILIES = {};
for (const check of allChecks.filter((c) => c.kind === 'event')) {
  FAMILIES[check.family] ??= [];
  FAMILIES[check.family].push(check.id);
}
const FAMILY_OF = Object.fromEntries(allChecks.map((c) => [c.id, c.family]));

/**
 * What the checks' own test cases say a fixture must give, per family: each check folder's
 * events/*.expected.json names the fixture it judges ("record") and the finding it must give, or
 * null. IAM's records are counted this way: whether an attached policy reaches every secret is
 * the analyzer's judgement, which a second hand-written model here could only copy.
 */
function findingsByFixture() {
  const checksRoot = join(__dirname, '..', 'src', 'checks');
  const out = {};
  for (const family of readdirSync(checksRoot, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const check of readdirSync(join(checksRoot, family.name), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const events = join(checksRoot, family.name, check.name, 'events');
      let files;
      try {
        files = readdirSync(events).filter((f) => f.endsWith('.expected.json'));
      } catch {
        continue;
      }
      for (const file of files) {
        const { record, finding, findings } = JSON.parse(readFileSync(join(events, file), 'utf8'));
        const prefix = 'test/fixtures/cloudtrail/';
        if (typeof record !== 'string' || !record.startsWith(prefix)) continue;
        const count = Array.isArray(findings) ? findings.length : finding ? 1 : 0;
        const source = record.slice(prefix.length);
        const checkFamily = FAMILY_OF[check.name] ?? family.name;
        out[source] ??= {};
        out[source][checkFamily] = (out[source][checkFamily] ?? 0) + count;
      }
    }
  }
  return out;
}
const FIXTURE_FINDINGS = findingsByFixture();

/** AWS's own error text for a call on a secret scheduled for deletion. */
const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";

/** Bare records only (envelopes, files with a top-level detail-type, are skipped), sorted by path. */
function loadFixtures() {
  const out = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const file of readdirSync(join(FIXTURES, dir))
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const text = readFileSync(join(FIXTURES, dir, file), 'utf8');
      let record;
      try {
        record = JSON.parse(text);
      } catch {
        continue;
      }
      if (!record || typeof record !== 'object' || Array.isArray(record) || 'detail-type' in record || typeof record.eventName !== 'string') continue;
      out.push({ source: `${dir}/${file}`, record, text });
    }
  }
  return out;
}

/** Inserts keys after `after` (CloudTrail's order puts errorCode/errorMessage after userAgent). */
function withKeysAfter(record, after, extra) {
  const out = {};
  for (const [k, v] of Object.entries(record)) {
    if (k in extra) continue;
    out[k] = v;
    if (k === after) Object.assign(out, extra);
  }
  return out;
}

/** A copy of `object` without `keys`. */
function without(object, ...keys) {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));
}

/**
 * The needle templates: every bare fixture, plus, from each successful GetSecretValue /
 * DescribeSecret fixture, the same call failing because the secret is scheduled for deletion (the
 * error AWS returns then), which no fixture has and which is the deleted-secret-accessed trigger;
 * from each successful PutResourcePolicy fixture, the same call refused (AccessDenied) and a
 * DeleteResourcePolicy of the same secret, so that every policy check has needles; and the
 * rotation cases below, so that every rotation check has them too.
 * Those derived ones are drawn a quarter as often as a real record.
 */
function needleTemplates() {
  const fixtures = loadFixtures();
  const templates = fixtures.map((f) => ({ source: f.source, record: f.record, weight: 1 }));
  for (const f of fixtures) {
    if (!['GetSecretValue', 'DescribeSecret'].includes(f.record.eventName) || f.record.errorCode) continue;
    const record = withKeysAfter(f.record, 'userAgent', { errorCode: 'InvalidRequestException', errorMessage: MARKED_FOR_DELETION });
    record.responseElements = null;
    templates.push({ source: `${f.source}+marked-for-deletion`, record, weight: 0.25 });
  }
  for (const f of fixtures) {
    if (f.record.eventName !== 'PutResourcePolicy' || f.record.errorCode) continue;
    const refused = withKeysAfter(f.record, 'userAgent', { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform: secretsmanager:PutResourcePolicy' });
    refused.responseElements = null;
    templates.push({ source: `${f.source}+refused`, record: refused, weight: 0.25 });
    const request = without(f.record.requestParameters ?? {}, 'resourcePolicy', 'blockPublicPolicy');
    templates.push({ source: `${f.source}+as-DeleteResourcePolicy`, record: { ...f.record, eventName: 'DeleteResourcePolicy', requestParameters: request }, weight: 0.25 });
  }
  // Every rotation check: from each RotateSecret fixture the same call succeeding with a yearly and
  // with a monthly schedule (one too long, one not), and a CancelRotateSecret; from each
  // RotationFailed service event, a RotationAbandoned one (it has no errorMessage).
  for (const f of fixtures) {
    if (f.record.eventName === 'RotateSecret') {
      const ok = { ...f.record, errorCode: null, errorMessage: null };
      for (const [tag, expression] of [
        ['yearly', 'rate(365 days)'],
        ['monthly', 'rate(30 days)'],
      ]) {
        templates.push({ source: `${f.source}+ok-${tag}`, record: { ...ok, requestParameters: { ...f.record.requestParameters, rotationRules: { scheduleExpression: expression } } }, weight: 0.25 });
      }
      templates.push({
        source: `${f.source}+as-CancelRotateSecret`,
        record: { ...ok, eventName: 'CancelRotateSecret', requestParameters: { secretId: f.record.requestParameters?.secretId } },
        weight: 0.25,
      });
    }
    if (f.record.eventName === 'RotationFailed') {
      const abandoned = without(f.record, 'errorMessage');
      templates.push({ source: `${f.source}+as-RotationAbandoned`, record: { ...abandoned, eventName: 'RotationAbandoned' }, weight: 0.25 });
    }
  }
  return templates;
}

/**
 * What the event checks must give for one record, made from the fixture `source` (its path under
 * test/fixtures/cloudtrail, with a "+derivation" suffix for the derived ones): the number of
 * findings per check family (at most one per check).
 */
function expectedFindings(r, source) {
  const ok = !r.errorCode;
  // Replication needs approvedRegions, which the bench leaves empty: none of its records may report it.
  const exp = Object.fromEntries(Object.keys(FAMILIES).map((family) => [family, 0]));
  if (r.eventSource === 'iam.amazonaws.com') {
    if (source.includes('+')) throw new Error(`bench: no expectation for the derived IAM needle ${source}`);
    return { ...exp, ...FIXTURE_FINDINGS[source] };
  }
  switch (r.eventName) {
    case 'DeleteSecret': // force-deleted, deletion-scheduled or deletion-denied: exactly one
    case 'DeleteResourcePolicy': // policy-deleted or policy-change-denied
      exp[r.eventName === 'DeleteSecret' ? 'deletion' : 'resource-policy'] = 1;
      break;
    case 'RestoreSecret':
      exp.deletion = ok ? 1 : 0;
      break;
    case 'GetSecretValue':
    case 'BatchGetSecretValue':
    case 'DescribeSecret':
      exp.deletion = !ok && typeof r.errorMessage === 'string' && r.errorMessage.includes('marked for deletion') ? 1 : 0;
      break;
    case 'PutResourcePolicy': // public, cross-account or changed (the most severe one), or change-denied
      exp['resource-policy'] = 1;
      break;
    case 'RotationFailed':
    case 'RotationAbandoned':
    case 'CancelRotateSecret':
      exp.rotation = r.eventName === 'CancelRotateSecret' && !ok ? 0 : 1;
      break;
    case 'RotateSecret': {
      if (!ok) exp.rotation = 1;
      else exp.rotation = rotationDays(r.requestParameters?.rotationRules) > 90 ? 1 : 0;
      break;
    }
    default:
  }
  return exp;
}

/** rotationRules as days (automaticallyAfterDays, or a rate() expression); 0 when none or unknown. */
function rotationDays(rules) {
  if (!rules || typeof rules !== 'object') return 0;
  if (typeof rules.automaticallyAfterDays === 'number') return rules.automaticallyAfterDays;
  const m = /^rate\((\d+)\s+(day|days|hour|hours)\)$/.exec(String(rules.scheduleExpression ?? '').trim());
  if (!m) return 0;
  return m[2].startsWith('hour') ? Number(m[1]) / 24 : Number(m[1]);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HUMAN_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4})(,?) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

function parseHumanDate(text) {
  const m = HUMAN_DATE.exec(text);
  if (!m) return null;
  let h = Number(m[5]) % 12;
  if (m[8] === 'PM') h += 12;
  return { ms: Date.UTC(Number(m[3]), MONTHS.indexOf(m[1]), Number(m[2]), h, Number(m[6]), Number(m[7])), comma: m[4] };
}

function formatHumanDate(ms, comma) {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const pad = (n) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}${comma} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

function eventTimeMs(value) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(String(value));
  return m ? Date.parse(`${m[1]}T${m[2]}Z`) : NaN;
}

/**
 * A template made distinct and placed in a file: ctx { account, region, time } of the file,
 * n the needle's number in the archive (unique), rng the file's generator.
 */
function makeNeedle(template, ctx, n, rng) {
  const r0 = template.record;
  let text = JSON.stringify(r0);
  // The owner account and region become the file's, consistently everywhere in the record.
  const arnAccount = /arn:aws:secretsmanager:[^:"]*:(\d{12}):/.exec(text)?.[1];
  const owner = [r0.recipientAccountId, r0.userIdentity?.accountId, arnAccount].find((a) => typeof a === 'string' && /^\d{12}$/.test(a));
  if (owner) text = text.split(owner).join(ctx.account.id);
  if (typeof r0.awsRegion === 'string' && r0.awsRegion) text = text.split(r0.awsRegion).join(ctx.region);
  // Secret names: in ARNs (name-XXXXXX, one new suffix per ARN) and as whole JSON strings.
  const names = new Set();
  const arns = new Map();
  for (const m of text.matchAll(/:secret:([A-Za-z0-9/_+=.@!-]+?)-([A-Za-z0-9]{6})(?=["\\])/g)) {
    names.add(m[1]);
    arns.set(`${m[1]}-${m[2]}`, m[1]);
  }
  for (const v of [r0.responseElements?.name, r0.requestParameters?.name, r0.requestParameters?.secretId, r0.additionalEventData?.SecretId]) {
    if (typeof v === 'string' && v && !v.startsWith('arn:') && v !== '...') names.add(v);
  }
  const tag = `b${n.toString(36)}`;
  for (const [nameAndSuffix, name] of [...arns].sort((a, b) => b[0].length - a[0].length)) {
    text = text.split(`:secret:${nameAndSuffix}`).join(`:secret:${name}-${tag}-${rng.alnum(6)}`);
  }
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    text = text.split(`"${name}"`).join(`"${name}-${tag}"`);
  }
  const r = JSON.parse(text);
  const originalTime = eventTimeMs(r0.eventTime);
  r.eventTime = iso(ctx.time);
  r.eventID = rng.uuid();
  if (typeof r.requestID === 'string' && !r.requestID.startsWith('Rotation-')) r.requestID = rng.uuid();
  const dd = r.responseElements && typeof r.responseElements.deletionDate === 'string' ? parseHumanDate(r.responseElements.deletionDate) : null;
  if (dd && Number.isFinite(originalTime)) r.responseElements.deletionDate = formatHumanDate(ctx.time + (dd.ms - originalTime), dd.comma);
  return r;
}

module.exports = { needleTemplates, makeNeedle, expectedFindings, FAMILIES, FAMILY_OF, MARKED_FOR_DELETION };
