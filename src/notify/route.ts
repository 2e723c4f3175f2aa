import { newId } from "../auth/tokens.js";
import { type NewAlert, type RouteResult, routeEvents } from "../domain/notify/index.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Queryable } from "../store/index.js";
import { retryTransient } from "../store/index.js";
import type { NotifyDeps } from "./deps.js";
import { eventFacts } from "./event-feed.js";
import { messageBodies, targetOf, webhookTarget } from "./messages.js";
import { queueDeliveries } from "./queue-deliveries.js";
import { loadContext } from "./route-context.js";

/** Routing runs one batch at a time, whichever process runs it. */
export const NOTIFY_LOCK = 7_310_004;
/** Events routed per transaction. */
const BATCH = 5_000;

export type RouteSummary = {
  events: number;
  alerts: number;
  bumped: number;
  messages: number;
  webhooks: number;
};

const iso = (d: Date) => d.toISOString();

async function writeAlerts(
  tx: Queryable,
  alerts: readonly (NewAlert & { id: string })[],
  now: Date,
): Promise<void> {
  if (alerts.length === 0) return;
  await tx.withRows(
    [
      "id",
      "dedupe_key",
      "recipient_user",
      "recipient_channel",
      "event_type",
      "subject",
      "account",
      "play_id",
      "severity",
      "delivery",
      "delivery_reason",
      "title",
      "content",
      "event_id",
      "at",
    ],
    alerts.map((a) => [
      a.id,
      a.dedupe_key,
      a.recipient.kind === "user" ? a.recipient.user : null,
      a.recipient.kind === "channel" ? a.recipient.channel : null,
      a.event_type,
      a.subject,
      a.account,
      a.play_id,
      a.severity,
      a.delivery,
      a.delivery_reason,
      a.content.title,
      JSON.stringify(a.content),
      String(a.event_id),
      iso(now),
    ]),
    (src) =>
      `INSERT INTO alerts (id, dedupe_key, recipient_user, recipient_channel, event_type, subject, account, play_id,
                           severity, delivery, delivery_reason, title, content, first_event, last_event, created_at, updated_at)
       SELECT id, dedupe_key, recipient_user, recipient_channel, event_type, subject, account, play_id, severity, delivery,
              delivery_reason, title, content::jsonb, event_id::bigint, event_id::bigint, at::timestamptz, at::timestamptz
       FROM ${src}
       ON CONFLICT (dedupe_key) DO UPDATE SET occurrences = alerts.occurrences + 1,
              last_event = excluded.last_event, updated_at = excluded.updated_at, read_at = NULL`,
  );
}

async function writeBumps(tx: Queryable, bumps: RouteResult["bumps"], now: Date): Promise<void> {
  if (bumps.length === 0) return;
  await tx.query(
    `UPDATE alerts a SET occurrences = a.occurrences + b.n, last_event = b.last, updated_at = $2, read_at = NULL
     FROM (SELECT key, count(*)::int AS n, max(event_id) AS last
           FROM jsonb_to_recordset($1::jsonb) AS r(key text, event_id bigint) GROUP BY key) b
     WHERE a.dedupe_key = b.key`,
    [JSON.stringify(bumps.map((b) => ({ key: b.dedupe_key, event_id: b.event_id }))), iso(now)],
  );
}

/**
 * Routes the events written since the last run into alerts (the in-app
 * notifications, one per recipient, subject and event type), the messages
 * their immediate alerts send (email, Slack), and a webhook call per
 * matching endpoint: one transaction per batch, the events marked routed in
 * it and the messages' delivery jobs queued in it, so a crash anywhere routes
 * an event once, exactly.
 */
export async function routePendingEvents(
  deps: NotifyDeps & { jobs?: JobQueue | undefined },
): Promise<RouteSummary> {
  const total: RouteSummary = { events: 0, alerts: 0, bumped: 0, messages: 0, webhooks: 0 };
  for (;;) {
    const s = await retryTransient(() => deps.db.withLock(NOTIFY_LOCK, (tx) => routeBatch(tx, deps)));
    for (const k of Object.keys(total) as (keyof RouteSummary)[]) total[k] += s[k];
    if (s.events < BATCH) return total;
  }
}

async function routeBatch(
  tx: Queryable,
  deps: NotifyDeps & { jobs?: JobQueue | undefined },
): Promise<RouteSummary> {
  const now = deps.clock();
  const rows = await tx.query<{ id: string; subject: string }>(
    "SELECT id, subject FROM notify_events WHERE routed_at IS NULL ORDER BY id LIMIT $1",
    [BATCH],
  );
  if (rows.length === 0) return { events: 0, alerts: 0, bumped: 0, messages: 0, webhooks: 0 };
  const facts = await eventFacts(
    tx,
    rows.map((r) => Number(r.id)),
  );
  const factById = new Map(facts.map((f) => [f.id, f]));
  const ctx = await loadContext(tx, deps, [...new Set(rows.map((r) => r.subject))], now);
  const result = routeEvents(facts, ctx);
  const alerts = result.alerts.map((a) => ({ ...a, id: newId("alr") }));
  await writeAlerts(tx, alerts, now);
  await writeBumps(tx, result.bumps, now);
  // An alert id by its key, for the messages; a key that met a concurrent
  // insert (ON CONFLICT) keeps the stored alert's id.
  const keys = alerts.map((a) => a.dedupe_key);
  const stored = await tx.query<{ id: string; dedupe_key: string }>(
    "SELECT id, dedupe_key FROM alerts WHERE dedupe_key = ANY($1::text[])",
    [keys],
  );
  const idOf = new Map(stored.map((r) => [r.dedupe_key, r.id]));
  const byKey = new Map(alerts.map((a) => [a.dedupe_key, a]));
  const endpointUrls = new Map(
    (
      await tx.query<{ id: string; url: string }>(
        "SELECT id, url FROM webhook_endpoints WHERE id = ANY($1::text[])",
        [[...new Set(result.webhooks.map((w) => w.endpoint))]],
      )
    ).map((e) => [e.id, e.url]),
  );
  const deliveries = [
    ...result.messages.flatMap((m) => {
      const alert = byKey.get(m.dedupe_key);
      const alertId = idOf.get(m.dedupe_key);
      if (!alert || !alertId) return [];
      const user = m.recipient.kind === "user" ? ctx.users.get(m.recipient.user) : undefined;
      const name = m.recipient.kind === "user" ? (ctx.names.get(m.recipient.user) ?? null) : null;
      return [
        {
          id: newId("msg"),
          channel: m.channel,
          alert_id: alertId,
          endpoint_id: null,
          slack_channel_id: m.recipient.kind === "channel" ? m.recipient.channel : null,
          user_id: m.recipient.kind === "user" ? m.recipient.user : null,
          event_id: alert.event_id,
          event_type: alert.event_type,
          target: targetOf(m.channel, m.recipient, user?.email_address ?? null, ctx.names, ctx.channelNames),
          body: messageBodies.alert(m.channel, alert.content, name, user?.email_address ?? null),
          next_attempt_at: m.not_before,
        },
      ];
    }),
    ...result.webhooks.map((w) => {
      const e = factById.get(w.event_id);
      return {
        id: newId("msg"),
        channel: "webhook" as const,
        alert_id: null,
        endpoint_id: w.endpoint,
        slack_channel_id: null,
        user_id: null,
        event_id: w.event_id,
        event_type: e?.type ?? "unknown",
        target: webhookTarget(endpointUrls.get(w.endpoint) ?? ""),
        body: messageBodies.webhook(w.event_id, e?.type ?? "unknown", w.content),
        next_attempt_at: now,
      };
    }),
  ];
  await queueDeliveries(tx, deps.jobs, deliveries, now);
  await tx.query("UPDATE notify_events SET routed_at = $2 WHERE id = ANY($1::bigint[])", [
    rows.map((r) => r.id),
    iso(now),
  ]);
  return {
    events: rows.length,
    alerts: alerts.length,
    bumped: result.bumps.length,
    messages: result.messages.length,
    webhooks: result.webhooks.length,
  };
}
