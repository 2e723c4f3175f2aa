import { nextStep } from "../domain/notify/index.js";
import type { JobQueue } from "../jobs/queue.js";
import { type Queryable, retryTransient } from "../store/index.js";
import type { SendResult } from "./channels/types.js";
import type { NotifyDeps } from "./deps.js";
import { queueDeliveryJobs } from "./queue-deliveries.js";
import { type Claimed, sendOne, smtpSettings, targetsOf } from "./send.js";

export { closeMailers } from "./send.js";

/** How long an attempt may take before another worker counts it as abandoned. */
export const LEASE_MS = 5 * 60_000;
/** Messages sent at once by one worker. */
const CONCURRENCY = 32;

export type DeliverySummary = { attempted: number; delivered: number; retrying: number; dead: number };

type Outcome = {
  id: string;
  n: number;
  channel: Claimed["channel"];
  endpoint_id: string | null;
  result: SendResult;
};

/**
 * Takes the due messages among `ids` (pending, their time come): marks them
 * sending with a lease and writes the attempt's row, and commits — before
 * anything is sent, so a worker that dies mid-send leaves a record that the
 * sweep reconciles instead of a message sent twice unknowingly.
 */
async function claim(tx: Queryable, ids: readonly string[], now: Date): Promise<Claimed[]> {
  return tx.query<Claimed>(
    `WITH c AS (
       UPDATE deliveries SET state = 'sending', attempts = attempts + 1, lease_until = $3
       WHERE id = ANY($1::text[]) AND state = 'pending' AND next_attempt_at <= $2
       RETURNING id, channel, endpoint_id, slack_channel_id, user_id, target, body, attempts
     ),
     a AS (INSERT INTO delivery_attempts (delivery_id, n, started_at) SELECT id, attempts, $2 FROM c)
     SELECT * FROM c ORDER BY id`,
    [ids, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString()],
  );
}

async function inParallel<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/** Records each attempt's result: delivered, retried at its time, dead-lettered, or its endpoint disabled (410). */
async function record(deps: NotifyDeps & { jobs?: JobQueue | undefined }, outcomes: Outcome[], now: Date) {
  const rows = outcomes.map((o) => {
    const step = nextStep({
      channel: o.channel,
      attempts: o.n,
      status: o.result.status,
      retryAfter: o.result.retry_after,
      now,
      random: Math.random,
    });
    return { o, step };
  });
  const json = rows.map(({ o, step }) => ({
    id: o.id,
    n: o.n,
    state: step.kind === "delivered" ? "delivered" : step.kind === "retry" ? "pending" : "dead",
    next: step.kind === "retry" ? step.at.toISOString() : null,
    status: o.result.status,
    error: step.kind === "dead" || step.kind === "gone" ? (o.result.error ?? step.reason) : o.result.error,
    reason: step.kind === "dead" || step.kind === "gone" ? step.reason : null,
    response: o.result.response,
    latency: Math.round(o.result.latency_ms),
  }));
  await retryTransient(() =>
    deps.db.transaction(async (tx) => {
      await tx.query(
        `WITH r AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, n int, state text, next timestamptz,
                      status int, error text, reason text, response text, latency int)),
         d AS (
           UPDATE deliveries x SET state = r.state, next_attempt_at = r.next, lease_until = NULL,
                  last_status = r.status, last_error = coalesce(r.reason || ' — ' || r.error, r.error, r.reason),
                  last_response = r.response,
                  delivered_at = CASE WHEN r.state = 'delivered' THEN $2::timestamptz END,
                  dead_at = CASE WHEN r.state = 'dead' THEN $2::timestamptz END
           FROM r WHERE x.id = r.id AND x.state = 'sending' AND x.attempts = r.n
           RETURNING x.id
         )
         UPDATE delivery_attempts a SET finished_at = $2, status = r.status, error = r.error, response = r.response,
                latency_ms = r.latency
         FROM r WHERE a.delivery_id = r.id AND a.n = r.n`,
        [JSON.stringify(json), now.toISOString()],
      );
      const gone = [
        ...new Set(rows.filter((r) => r.step.kind === "gone").map((r) => r.o.endpoint_id)),
      ].filter((e): e is string => e !== null);
      if (gone.length > 0) {
        await tx.query(
          `UPDATE webhook_endpoints SET disabled_at = $2, disabled_reason = 'the receiver answered 410 Gone'
           WHERE id = ANY($1::text[]) AND disabled_at IS NULL`,
          [gone, now.toISOString()],
        );
        await tx.query(
          `UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL,
                  last_error = 'the endpoint was disabled: its receiver answered 410 Gone'
           WHERE endpoint_id = ANY($1::text[]) AND state = 'pending'`,
          [gone],
        );
      }
      const retries = json
        .filter((j) => j.next !== null)
        .map((j) => ({ id: j.id, at: new Date(j.next as string) }));
      await queueDeliveryJobs(tx, deps.jobs, retries, now);
    }),
  );
  return {
    delivered: json.filter((j) => j.state === "delivered").length,
    retrying: json.filter((j) => j.state === "pending").length,
    dead: json.filter((j) => j.state === "dead").length,
  };
}

/**
 * Delivers the due messages among `ids`: claims them (the attempt recorded
 * first), sends them side by side, records what each receiver answered and
 * schedules the retries. Messages not due, or taken by another worker, are
 * left alone. What `deliver-messages` jobs run, and what a test-email calls.
 */
export async function deliverDeliveries(
  deps: NotifyDeps & { jobs?: JobQueue | undefined },
  ids: readonly string[],
): Promise<DeliverySummary> {
  if (ids.length === 0) return { attempted: 0, delivered: 0, retrying: 0, dead: 0 };
  const claimedAt = deps.clock();
  const claimed = await retryTransient(() => deps.db.transaction((tx) => claim(tx, ids, claimedAt)));
  if (claimed.length === 0) return { attempted: 0, delivered: 0, retrying: 0, dead: 0 };
  const smtp = claimed.some((c) => c.channel === "email") ? await smtpSettings(deps) : null;
  const targets = await targetsOf(deps, claimed);
  const results = await inParallel(claimed, CONCURRENCY, (d) => sendOne(deps, d, smtp, targets, claimedAt));
  const outcomes = claimed.map((d, i) => ({
    id: d.id,
    n: d.attempts,
    channel: d.channel,
    endpoint_id: d.endpoint_id,
    result: results[i] as SendResult,
  }));
  const s = await record(deps, outcomes, deps.clock());
  return { attempted: claimed.length, ...s };
}

/**
 * Attempts a dead worker left unfinished (still `sending` after their lease):
 * a webhook is sent again with the same webhook-id (receivers drop
 * duplicates by it: at least once); an email or a Slack post may have gone
 * out, so it is marked `uncertain` and listed with the dead letters for a
 * person to replay — never sent twice by the machine.
 */
export async function reconcileAbandoned(
  deps: NotifyDeps & { jobs?: JobQueue | undefined },
): Promise<{ resent: number; uncertain: number }> {
  const now = deps.clock();
  return retryTransient(() =>
    deps.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; channel: string; attempts: number }>(
        `UPDATE deliveries SET
           state = CASE WHEN channel = 'webhook' THEN 'pending' ELSE 'uncertain' END,
           next_attempt_at = CASE WHEN channel = 'webhook' THEN $1::timestamptz END,
           dead_at = CASE WHEN channel = 'webhook' THEN NULL ELSE $1::timestamptz END,
           lease_until = NULL,
           last_error = CASE WHEN channel = 'webhook'
             THEN 'the worker stopped during attempt ' || attempts || '; sent again with the same webhook-id'
             ELSE 'the worker stopped during attempt ' || attempts || '; it may have been sent, so it is not sent again: replay it if it did not arrive' END
         WHERE state = 'sending' AND lease_until < $1
         RETURNING id, channel, attempts`,
        [now.toISOString()],
      );
      if (rows.length === 0) return { resent: 0, uncertain: 0 };
      await tx.query(
        `UPDATE delivery_attempts a SET finished_at = $2, error = 'interrupted: the worker stopped'
         FROM jsonb_to_recordset($1::jsonb) AS r(id text, attempts int)
         WHERE a.delivery_id = r.id AND a.n = r.attempts AND a.finished_at IS NULL`,
        [JSON.stringify(rows), now.toISOString()],
      );
      const resend = rows.filter((r) => r.channel === "webhook").map((r) => ({ id: r.id, at: now }));
      await queueDeliveryJobs(tx, deps.jobs, resend, now);
      return { resent: resend.length, uncertain: rows.length - resend.length };
    }),
  );
}

/**
 * Due messages whose job did not run (lost with a crash before it was
 * queued, or queued on a store that was restored): queued again. A message
 * already queued is only claimed once, so a second job does nothing.
 */
export async function requeueOverdue(deps: NotifyDeps & { jobs?: JobQueue | undefined }, graceMs = 30_000) {
  const now = deps.clock();
  const rows = await deps.db.query<{ id: string }>(
    "SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at LIMIT 10000",
    [new Date(now.getTime() - graceMs).toISOString()],
  );
  await queueDeliveryJobs(
    undefined,
    deps.jobs,
    rows.map((r) => ({ id: r.id, at: now })),
    now,
  );
  return rows.map((r) => r.id);
}
