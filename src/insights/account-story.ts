import { metricLabel } from "../domain/index.js";
import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";

/** The metrics the account page charts by default: usage, support and payments. */
export const KEY_METRICS = [
  "active_users_30d",
  "active_days_per_user_30d",
  "tickets_per_10_seats_90d",
  "ticket_sentiment_90d",
  "avg_days_late_180d",
  "failed_payments_180d",
] as const;

async function mustExist(db: Queryable, account: string): Promise<void> {
  const [row] = await db.query("SELECT 1 FROM accounts WHERE id = $1", [account]);
  if (!row) throw new AppError("not_found", `no account with id "${account}"`);
}

export interface MetricTrends {
  account: string;
  /** Dates of the points, oldest first: month starts from history, then the current score's as-of date. */
  dates: string[];
  series: { metric: string; label: string; values: (number | null)[] }[];
}

/** Monthly values of some metrics for one account (from its score history), plus the current values. */
export async function metricTrends(
  db: Queryable,
  account: string,
  metrics: readonly string[] = KEY_METRICS,
  months = 24,
): Promise<MetricTrends> {
  await mustExist(db, account);
  const rows = await db.query<{ date: string; values: (number | null)[] }>(
    `SELECT date, "values" FROM (
       SELECT h.month::text AS date, ARRAY(SELECT (h.metrics ->> m)::float8 FROM unnest($2::text[]) WITH ORDINALITY AS u(m, i) ORDER BY i) AS "values", 0 AS o
       FROM score_history h
       WHERE h.account = $1 AND h.month > (SELECT max(month) FROM score_history WHERE account = $1) - make_interval(months => $3::int)
       UNION ALL
       SELECT (c.as_of AT TIME ZONE 'UTC')::date::text, ARRAY(SELECT (c.metrics ->> m)::float8 FROM unnest($2::text[]) WITH ORDINALITY AS u(m, i) ORDER BY i), 1
       FROM current_scores c WHERE c.account = $1
     ) t ORDER BY date, o`,
    [account, metrics, months],
  );
  return {
    account,
    dates: rows.map((r) => r.date),
    series: metrics.map((metric, i) => ({
      metric,
      label: metricLabel(metric),
      values: rows.map((r) => r.values[i] ?? null),
    })),
  };
}

export interface TimelineItem {
  kind: "ticket" | "meeting" | "invoice" | "note" | "survey";
  id: string;
  ts: string;
  title: string;
  detail: Record<string, unknown>;
}

/** The account's most recent facts of every kind, newest first, in one query. */
export async function timeline(db: Queryable, account: string, limit = 40): Promise<TimelineItem[]> {
  await mustExist(db, account);
  return db.query<TimelineItem & Record<string, unknown>>(
    `SELECT * FROM (
       (SELECT 'ticket' AS kind, id, opened_at AS ts, coalesce(subject, '(no subject)') AS title,
               jsonb_build_object('priority', priority, 'status', status, 'sentiment', sentiment, 'csat', csat, 'tags', tags) AS detail
        FROM tickets WHERE account = $1 ORDER BY opened_at DESC LIMIT $2)
       UNION ALL
       (SELECT 'meeting', id, scheduled_at, kind,
               jsonb_build_object('status', status, 'attendees', cardinality(attendees))
        FROM meetings WHERE account = $1 ORDER BY scheduled_at DESC LIMIT $2)
       UNION ALL
       (SELECT 'invoice', id, issued_at, 'invoice',
               jsonb_build_object('amount', amount::float8, 'currency', currency, 'status', status,
                 'days_late', CASE WHEN paid_at IS NOT NULL AND due_at IS NOT NULL
                   THEN round((extract(epoch FROM paid_at - due_at) / 86400)::numeric, 1)::float8 END)
        FROM invoices WHERE account = $1 ORDER BY issued_at DESC LIMIT $2)
       UNION ALL
       (SELECT 'note', id, ts, coalesce(left(text, 200), ''),
               jsonb_build_object('channel', channel, 'direction', direction)
        FROM notes WHERE account = $1 ORDER BY ts DESC LIMIT $2)
       UNION ALL
       (SELECT 'survey', id, ts, kind,
               jsonb_build_object('score', score, 'comment', comment)
        FROM surveys WHERE account = $1 ORDER BY ts DESC LIMIT $2)
     ) t ORDER BY ts DESC, kind, id LIMIT $2`,
    [account, limit],
  );
}

export interface ContactEngagement {
  id: string;
  name: string | null;
  email: string | null;
  title: string | null;
  role: string | null;
  active: boolean;
  last_engagement_at: string | null;
  /** What the last engagement was: product use, meeting, note, ticket or survey. */
  last_engagement: string | null;
}

/** The account's contacts with their roles and when (and how) each last engaged. */
export async function contactEngagement(db: Queryable, account: string): Promise<ContactEngagement[]> {
  await mustExist(db, account);
  return db.query<ContactEngagement & Record<string, unknown>>(
    `WITH touch AS (
       SELECT user_id AS contact, max(ts) AS ts, 'product use' AS kind FROM events WHERE account = $1 GROUP BY user_id
       UNION ALL
       SELECT a.contact, max(m.scheduled_at), 'meeting' FROM meetings m CROSS JOIN LATERAL unnest(m.attendees) AS a(contact)
       WHERE m.account = $1 AND m.status = 'held' GROUP BY a.contact
       UNION ALL
       SELECT contact, max(ts), 'note' FROM notes WHERE account = $1 AND contact IS NOT NULL GROUP BY contact
       UNION ALL
       SELECT contact, max(opened_at), 'ticket' FROM tickets WHERE account = $1 AND contact IS NOT NULL GROUP BY contact
       UNION ALL
       SELECT contact, max(ts), 'survey' FROM surveys WHERE account = $1 AND contact IS NOT NULL GROUP BY contact
     ),
     latest AS (
       SELECT DISTINCT ON (contact) contact, ts, kind FROM touch WHERE contact IS NOT NULL ORDER BY contact, ts DESC, kind
     )
     SELECT c.id, c.name, c.email, c.title, c.role, c.active, l.ts AS last_engagement_at, l.kind AS last_engagement
     FROM contacts c LEFT JOIN latest l ON l.contact = c.id
     WHERE c.account = $1
     ORDER BY array_position(ARRAY['executive_sponsor', 'decision_maker', 'champion', 'billing', 'user'], c.role) NULLS LAST,
              c.active DESC, l.ts DESC NULLS LAST, c.id`,
    [account],
  );
}
