/**
 * Support metrics, in one pass over the tickets of the last 180 days (plus
 * older ones still open at T), and CSAT survey answers in a second small pass
 * (surveys are read by engagement.ts as well, but CSAT is pooled here).
 *
 * Point in time: a ticket is open at T when it was opened before T and not
 * resolved before T. The current `status` is used only for tickets without
 * `resolved_at` (open/pending: still open; solved/closed: resolved at an
 * unknown time, so not open). A rating counts from when the ticket was resolved.
 */
import type { Queryable } from "../store/index.js";
import { activeSubscriptionSql, customerSql, type MetricContext, Scope } from "./scope.js";
import { FoundValues, num } from "./values.js";

/** A condition: the ticket (columns unqualified) is open at T. */
export function openAtSql(s: Scope): string {
  return `(opened_at < ${s.t} AND (resolved_at >= ${s.t} OR (resolved_at IS NULL AND status IN ('open', 'pending'))))`;
}

interface SupportRow {
  account: string;
  /** The account has tickets in the 180-day window or open at T: its counts are measured. */
  has_tickets: boolean;
  customer: boolean;
  seats: number | null;
  opened_90d: number | null;
  urgent_open: number | null;
  first_response_h: number | null;
  resolution_h: number | null;
  sentiment: number | null;
  ticket_csat_sum: number | null;
  ticket_csat_n: number | null;
  survey_csat_sum: number | null;
  survey_csat_n: number | null;
}

export function supportSql(s: Scope): string {
  const d90 = s.daysBefore(90);
  const d180 = s.daysBefore(180);
  const hours = (col: string) => `greatest(0, extract(epoch FROM ${col} - opened_at) / 3600)`;
  return `
WITH t AS (
  SELECT account, opened_at, first_response_at, resolved_at, priority, status, csat, sentiment
  FROM tickets
  WHERE opened_at < ${s.t} AND ${s.accountIn("account")}
    AND (opened_at >= ${d180} OR resolved_at >= ${d180} OR resolved_at IS NULL)
), ta AS (
  SELECT account,
    count(*) FILTER (WHERE opened_at >= ${d90}) AS opened_90d,
    count(*) FILTER (WHERE priority = 'urgent' AND ${openAtSql(s)}) AS urgent_open,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours("first_response_at")})
      FILTER (WHERE opened_at >= ${d90} AND first_response_at < ${s.t}) AS first_response_h,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hours("resolved_at")})
      FILTER (WHERE opened_at >= ${d90} AND resolved_at < ${s.t}) AS resolution_h,
    avg(sentiment) FILTER (WHERE opened_at >= ${d90}) AS sentiment,
    sum(csat) FILTER (WHERE coalesce(resolved_at, opened_at) >= ${d180} AND coalesce(resolved_at, opened_at) < ${s.t}) AS ticket_csat_sum,
    count(csat) FILTER (WHERE coalesce(resolved_at, opened_at) >= ${d180} AND coalesce(resolved_at, opened_at) < ${s.t}) AS ticket_csat_n
  FROM t GROUP BY account
), sv AS (
  SELECT account, sum(score) AS survey_csat_sum, count(*) AS survey_csat_n
  FROM surveys
  WHERE kind = 'csat' AND ts >= ${d180} AND ts < ${s.t} AND ${s.accountIn("account")}
  GROUP BY account
), sub AS (${activeSubscriptionSql(s, s.t)}
), customer AS (${customerSql(s)}
), source AS (
  SELECT EXISTS (SELECT 1 FROM tickets WHERE opened_at < ${s.t}) AS connected
)
SELECT a.id AS account,
  ta.account IS NOT NULL AS has_tickets,
  (customer.account IS NOT NULL AND source.connected) AS customer,
  coalesce(sub.seats, a.seats) AS seats,
  ta.opened_90d, ta.urgent_open, ta.first_response_h, ta.resolution_h, ta.sentiment,
  ta.ticket_csat_sum, ta.ticket_csat_n, sv.survey_csat_sum, sv.survey_csat_n
FROM accounts a
CROSS JOIN source
LEFT JOIN ta ON ta.account = a.id
LEFT JOIN sv ON sv.account = a.id
LEFT JOIN sub ON sub.account = a.id
LEFT JOIN customer ON customer.account = a.id
WHERE ${s.accountIn("a.id")}
  AND (ta.account IS NOT NULL OR sv.account IS NOT NULL OR customer.account IS NOT NULL)`;
}

export async function supportMetrics(db: Queryable, ctx: MetricContext): Promise<FoundValues> {
  const s = new Scope(ctx);
  const rows = await db.query<SupportRow & Record<string, unknown>>(supportSql(s), s.params);
  const found = new FoundValues();
  for (const r of rows) {
    const zero = r.customer;
    const count = (v: unknown) => (r.has_tickets ? (num(v) ?? 0) : null);
    const opened = count(r.opened_90d);
    const seats = num(r.seats);
    if (seats !== null && seats > 0) {
      found.add(r.account, "tickets_per_10_seats_90d", opened === null ? null : (opened * 10) / seats, zero);
    }
    found.add(r.account, "urgent_tickets_open", count(r.urgent_open), zero);
    found.add(r.account, "median_first_response_hours_90d", num(r.first_response_h));
    found.add(r.account, "median_resolution_hours_90d", num(r.resolution_h));
    found.add(r.account, "ticket_sentiment_90d", num(r.sentiment));
    const n = (num(r.ticket_csat_n) ?? 0) + (num(r.survey_csat_n) ?? 0);
    if (n > 0) {
      const sum = (num(r.ticket_csat_sum) ?? 0) + (num(r.survey_csat_sum) ?? 0);
      found.add(r.account, "csat_180d", sum / n);
    }
  }
  return found;
}
