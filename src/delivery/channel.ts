import type { Finding } from '../findings/finding';
import { deliveryKey, type ClaimOutcome, type DeliveryLedger } from './ledger';
import { errorField, type Log } from './log';

/**
 * A delivery channel: a name and an async function that sends findings somewhere. It sends all it
 * is given or throws; when some went out and some did not, it throws a PartialDeliveryError
 * naming the ones that went out. A new channel is one more entry in the list given to
 * deliverOnEachChannel.
 */
export interface DeliveryChannel {
  /** Stable: it is part of the ledger's keys, so renaming a channel re-sends what is in flight. */
  readonly name: string;
  /** The findings this channel takes (the alert topic: those at or above notifyMinSeverity); all by default. */
  accepts?(finding: Finding): boolean;
  send(findings: readonly Finding[], signal: AbortSignal): Promise<void>;
}

export class PartialDeliveryError extends Error {
  override readonly name = 'PartialDeliveryError';
  constructor(
    readonly delivered: readonly Finding[],
    override readonly cause: unknown,
  ) {
    super(errorField(cause).message);
  }
}

/** A finding another live invocation is delivering on this channel: this one fails and is retried after. */
export class DeliveryInProgressError extends Error {
  override readonly name = 'DeliveryInProgressError';
}

export interface ChannelOutcome {
  channel: string;
  /** Sent by this invocation. */
  sent: number;
  /** Already delivered by an earlier invocation of the same event (a retry, a duplicate). */
  alreadyDelivered: number;
  error?: unknown;
}

/**
 * Time limits that keep one invocation well inside the functions' 30-second timeout even when
 * every endpoint hangs: the ledger is an aid to delivery, so its calls give up sooner than a
 * channel's send. Claim, send and record run one after the other: at most 12 seconds.
 */
export const LEDGER_CALL_TIMEOUT_MS = 3_000;
export const CHANNEL_SEND_TIMEOUT_MS = 6_000;

export interface ExactlyOnceOptions {
  /** Absent: no ledger (the CLI); every finding is sent. */
  ledger?: DeliveryLedger;
  /** What the keys are unique within: the function's name. */
  scope: string;
  /** How long a claim holds: the invocation's remaining time. */
  leaseMs: number;
  log: Log;
  sendTimeoutMs?: number;
  ledgerTimeoutMs?: number;
}

type Claimed = { finding: Finding; key: string | null; outcome: ClaimOutcome };

async function claimAll(channel: DeliveryChannel, findings: readonly Finding[], o: ExactlyOnceOptions): Promise<Claimed[]> {
  const { ledger, log } = o;
  return Promise.all(
    findings.map(async (finding): Promise<Claimed> => {
      // A finding without an event (a scan's) has nothing to key it by: it is sent every time.
      if (!ledger || !finding.event?.id) return { finding, key: null, outcome: 'unavailable' };
      const key = deliveryKey(o.scope, finding.event.id, finding.check, channel.name);
      try {
        return { finding, key, outcome: await ledger.claim(key, o.leaseMs, AbortSignal.timeout(o.ledgerTimeoutMs ?? LEDGER_CALL_TIMEOUT_MS)) };
      } catch (error) {
        log.error('delivery ledger unavailable: sending without it (a retry may send this finding again)', {
          channel: channel.name,
          check: finding.check,
          eventId: finding.event.id,
          error: errorField(error),
        });
        return { finding, key: null, outcome: 'unavailable' };
      }
    }),
  );
}

async function settle(channel: DeliveryChannel, claims: readonly Claimed[], delivered: ReadonlySet<Finding>, o: ExactlyOnceOptions): Promise<void> {
  const { ledger, log } = o;
  if (!ledger) return;
  await Promise.all(
    claims.map(async ({ finding, key, outcome }) => {
      if (key === null || outcome !== 'claimed') return;
      const signal = AbortSignal.timeout(o.ledgerTimeoutMs ?? LEDGER_CALL_TIMEOUT_MS);
      const went = delivered.has(finding);
      try {
        await (went ? ledger.complete(key, signal) : ledger.release(key, signal));
      } catch (error) {
        // Not recorded: the claim lapses with this invocation, and a retry of it sends once more.
        log.error(went ? 'delivery not recorded in the ledger' : 'failed delivery not released in the ledger', {
          channel: channel.name,
          check: finding.check,
          eventId: finding.event?.id ?? null,
          error: errorField(error),
        });
      }
    }),
  );
}

async function deliverOnChannel(channel: DeliveryChannel, findings: readonly Finding[], o: ExactlyOnceOptions): Promise<ChannelOutcome> {
  const accepted = channel.accepts ? findings.filter((f) => channel.accepts?.(f)) : findings;
  const outcome: ChannelOutcome = { channel: channel.name, sent: 0, alreadyDelivered: 0 };
  if (accepted.length === 0) return outcome;
  const claims = await claimAll(channel, accepted, o);
  outcome.alreadyDelivered = claims.filter((c) => c.outcome === 'delivered').length;
  const busy = claims.filter((c) => c.outcome === 'in-progress');
  const toSend = claims.filter((c) => c.outcome === 'claimed' || c.outcome === 'unavailable').map((c) => c.finding);
  let delivered = new Set<Finding>();
  if (toSend.length) {
    try {
      await channel.send(toSend, AbortSignal.timeout(o.sendTimeoutMs ?? CHANNEL_SEND_TIMEOUT_MS));
      delivered = new Set(toSend);
    } catch (error) {
      delivered = new Set(error instanceof PartialDeliveryError ? error.delivered : []);
      outcome.error = error instanceof PartialDeliveryError ? error.cause : error;
    }
  }
  outcome.sent = delivered.size;
  await settle(channel, claims, delivered, o);
  if (busy.length && !outcome.error) {
    outcome.error = new DeliveryInProgressError(`${busy.length} finding(s) being delivered on ${channel.name} by another invocation`);
  }
  return outcome;
}

/**
 * Every channel at once, each sending only what it has not already taken; one channel's failure
 * never holds back another. The caller fails the invocation when any outcome has an error, so
 * that the retry re-sends what failed and nothing else.
 */
export function deliverOnEachChannel(channels: readonly DeliveryChannel[], findings: readonly Finding[], options: ExactlyOnceOptions): Promise<ChannelOutcome[]> {
  return Promise.all(channels.map((channel) => deliverOnChannel(channel, findings, options)));
}
