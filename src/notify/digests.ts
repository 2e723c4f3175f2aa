import { newId } from "../auth/tokens.js";
import {
  type AlertContent,
  digestDueAt,
  isTimeZone,
  localParts,
  type Severity,
} from "../domain/notify/index.js";
import type { JobQueue } from "../jobs/queue.js";
import { type Queryable, retryTransient } from "../store/index.js";
import type { NotifyDeps } from "./deps.js";
import { channelTarget } from "./messages.js";
import { type NewDelivery, queueDeliveries } from "./queue-deliveries.js";
import { renderDigestEmail } from "./render/digest-email.js";
import { slackDigest } from "./render/slack.js";
import { routingSettings } from "./route-context.js";

type Waiting = {
  recipient_user: string | null;
  recipient_channel: string | null;
  oldest: string;
  last_digest: string | null;
  time_zone: string | null;
  digest_hour: number | null;
  name: string | null;
  email_address: string | null;
  email: boolean | null;
  slack: boolean | null;
  active: boolean | null;
  channel_name: string | null;
  channel_enabled: boolean;
};

type Due = Waiting & { tz: string };

type Item = { id: string; content: AlertContent; severity: Severity; occurrences: number };

/** Recipients whose digests are written in one transaction. */
const PER_TRANSACTION = 500;

/**
 * Writes the digests that are due: for each recipient with alerts waiting
 * (watch and healthy plays, band changes, what went over the budget), once
 * their local digest hour has passed since both the last digest and the
 * oldest waiting alert, one message per channel they use
 * grouping the alerts by account. The alerts join the digest in the same
 * transaction as its messages are written, so each goes out in one digest.
 */
export async function writeDueDigests(deps: NotifyDeps & { jobs?: JobQueue | undefined }): Promise<number> {
  const now = deps.clock();
  const waiting = await deps.db.query<Waiting>(
    `WITH w AS (
       SELECT recipient_user, recipient_channel, min(created_at) AS oldest
       FROM alerts WHERE delivery = 'digest' AND digest_id IS NULL
       GROUP BY recipient_user, recipient_channel
     )
     SELECT w.recipient_user, w.recipient_channel, w.oldest,
            (SELECT max(d.created_at) FROM digests d
             WHERE d.recipient_user IS NOT DISTINCT FROM w.recipient_user
               AND d.recipient_channel IS NOT DISTINCT FROM w.recipient_channel) AS last_digest,
            u.time_zone, p.digest_hour, u.name, u.email AS email_address, u.active,
            coalesce(p.email, true) AS email, (coalesce(p.slack, false) AND p.slack_url_sealed IS NOT NULL) AS slack,
            c.name AS channel_name, (c.id IS NOT NULL AND c.disabled_at IS NULL) AS channel_enabled
     FROM w LEFT JOIN users u ON u.id = w.recipient_user LEFT JOIN notification_prefs p ON p.user_id = w.recipient_user
     LEFT JOIN slack_channels c ON c.id = w.recipient_channel`,
  );
  if (waiting.length === 0) return 0;
  const settings = await routingSettings(deps.db, deps.config.smtp);
  const due: Due[] = [];
  for (const w of waiting) {
    // A zone the runtime does not know counts as UTC (as routing does) rather than stopping every digest.
    const tz = w.time_zone && isTimeZone(w.time_zone) ? w.time_zone : "UTC";
    const hour = w.digest_hour ?? settings.digest_hour;
    // Due at the first digest moment after both the last digest and the oldest waiting alert: an
    // alert that comes after a day's digest hour waits for the next day's, even on a day that had none.
    const oldest = new Date(w.oldest).getTime() - 1;
    const since = new Date(Math.max(oldest, w.last_digest ? new Date(w.last_digest).getTime() : oldest));
    if (digestDueAt(hour, tz, since, now)) due.push({ ...w, tz });
  }
  let written = 0;
  for (let i = 0; i < due.length; i += PER_TRANSACTION) {
    const chunk = due.slice(i, i + PER_TRANSACTION);
    written += await retryTransient(() =>
      deps.db.transaction((tx) => writeDigests(tx, deps, chunk, settings.email_enabled, now)),
    );
  }
  return written;
}

const keyOf = (user: string | null, channel: string | null) => `${user ?? ""}|${channel ?? ""}`;

/**
 * The digests of these recipients, in a few statements: their waiting
 * alerts (locked, so a concurrent sweep skips them), a digest each, the
 * alerts joined to it and its messages queued. Returns how many were written.
 */
async function writeDigests(
  tx: Queryable,
  deps: NotifyDeps & { jobs?: JobQueue | undefined },
  due: readonly Due[],
  emailEnabled: boolean,
  now: Date,
): Promise<number> {
  const items = await tx.query<Item & { recipient_user: string | null; recipient_channel: string | null }>(
    `SELECT a.id, a.content, a.severity, a.occurrences, a.recipient_user, a.recipient_channel
     FROM alerts a JOIN jsonb_to_recordset($1::jsonb) AS r(u text, c text)
       ON coalesce(a.recipient_user, '') = coalesce(r.u, '') AND coalesce(a.recipient_channel, '') = coalesce(r.c, '')
     WHERE a.delivery = 'digest' AND a.digest_id IS NULL
     ORDER BY a.created_at, a.id FOR UPDATE OF a SKIP LOCKED`,
    [JSON.stringify(due.map((d) => ({ u: d.recipient_user, c: d.recipient_channel })))],
  );
  const byKey = new Map<string, Item[]>();
  for (const i of items) {
    const k = keyOf(i.recipient_user, i.recipient_channel);
    byKey.set(k, [...(byKey.get(k) ?? []), i]);
  }
  const digests: { id: string; u: string | null; c: string | null; n: number }[] = [];
  const joins: { id: string; digest: string }[] = [];
  const out: NewDelivery[] = [];
  for (const w of due) {
    const list = byKey.get(keyOf(w.recipient_user, w.recipient_channel)) ?? [];
    if (list.length === 0) continue;
    const id = newId("dig");
    digests.push({ id, u: w.recipient_user, c: w.recipient_channel, n: list.length });
    for (const i of list) joins.push({ id: i.id, digest: id });
    out.push(...messagesOf(w, id, list, emailEnabled, now));
  }
  if (digests.length === 0) return 0;
  await tx.query(
    `INSERT INTO digests (id, recipient_user, recipient_channel, created_at, alerts)
     SELECT id, u, c, $2, n FROM jsonb_to_recordset($1::jsonb) AS r(id text, u text, c text, n int)`,
    [JSON.stringify(digests), now.toISOString()],
  );
  await tx.query(
    `UPDATE alerts a SET digest_id = r.digest FROM jsonb_to_recordset($1::jsonb) AS r(id text, digest text)
     WHERE a.id = r.id`,
    [JSON.stringify(joins)],
  );
  await queueDeliveries(tx, deps.jobs, out, now);
  return digests.length;
}

/** A digest's messages: one per channel the recipient uses (none for an inactive user or a disabled channel). */
function messagesOf(
  w: Due,
  id: string,
  items: readonly Item[],
  emailEnabled: boolean,
  now: Date,
): NewDelivery[] {
  const list = items.map((i) => ({ content: i.content, occurrences: i.occurrences }));
  const opts = { recipientName: w.name, date: localParts(now, w.tz).date, timeZone: w.tz };
  const base = {
    alert_id: null,
    endpoint_id: null,
    event_id: null,
    event_type: "digest",
    next_attempt_at: now,
    digest_id: id,
  };
  const out: NewDelivery[] = [];
  // A disabled channel's alerts join the digest (they were in the app) with no message, like an inactive user's.
  if (w.recipient_channel && w.channel_enabled)
    out.push({
      ...base,
      id: newId("msg"),
      channel: "slack",
      slack_channel_id: w.recipient_channel,
      user_id: null,
      target: channelTarget(w.recipient_channel, w.channel_name),
      body: slackDigest(list, opts),
    });
  else if (w.recipient_user && w.active) {
    if (w.email && emailEnabled && w.email_address)
      out.push({
        ...base,
        id: newId("msg"),
        channel: "email",
        slack_channel_id: null,
        user_id: w.recipient_user,
        target: w.email_address,
        body: { to: w.email_address, ...renderDigestEmail(list, opts) },
      });
    if (w.slack)
      out.push({
        ...base,
        id: newId("msg"),
        channel: "slack",
        slack_channel_id: null,
        user_id: w.recipient_user,
        target: `Slack: ${w.name ?? w.recipient_user}`,
        body: slackDigest(list, opts),
      });
  }
  return out;
}
