/**
 * Financial metrics, in one query: invoices due in the last 180 days, the
 * subscriptions active at T and 180 days before, and expansion opportunities
 * closing in the last 180 days.
 *
 * Point in time: an invoice paid at or after T is unpaid at T. Invoice and
 * opportunity statuses are current (sources carry no status history): a
 * failed payment counts once the invoice was due before T; a void invoice is
 * left out.
 */
import type { Queryable } from "../store/index.js";
import { activeSubscriptionSql, customerSql, type MetricContext, Scope } from "./scope.js";
import { FoundValues, num } from "./values.js";

interface BillingRow {
  account: string;
  invoices: number | null;
  days_late: number | null;
  failed: number | null;
  invoices_zero_ok: boolean;
  discount_pct: number | null;
  seats_now: number | null;
  seats_then: number | null;
  expansions: number | null;
  expansions_zero_ok: boolean;
}

export function billingSql(s: Scope): string {
  const due = "coalesce(due_at, issued_at)";
  return `
WITH inv AS (
  SELECT account,
    count(*) FILTER (WHERE paid_at IS NOT NULL OR status NOT IN ('paid', 'refunded')) AS invoices,
    avg(greatest(0, extract(epoch FROM (CASE WHEN paid_at < ${s.t} THEN paid_at ELSE ${s.t} END) - ${due}) / 86400))
      FILTER (WHERE paid_at IS NOT NULL OR status NOT IN ('paid', 'refunded')) AS days_late,
    count(*) FILTER (WHERE status = 'failed') AS failed
  FROM invoices
  WHERE issued_at < ${s.t} AND ${due} >= ${s.daysBefore(180)} AND ${due} < ${s.t} AND status <> 'void'
    AND ${s.accountIn("account")}
  GROUP BY account
), now_sub AS (${activeSubscriptionSql(s, s.t)}
), then_sub AS (${activeSubscriptionSql(s, s.daysBefore(180))}
), opp AS (
  SELECT account, count(*) AS expansions
  FROM opportunities
  WHERE kind = 'expansion' AND status IN ('won', 'open')
    AND close_date >= ${s.dayMinus(180)} AND close_date < ${s.day} AND ${s.accountIn("account")}
  GROUP BY account
), customer AS (${customerSql(s)}
), source AS (
  SELECT EXISTS (SELECT 1 FROM invoices WHERE issued_at < ${s.t}) AS invoices,
    EXISTS (SELECT 1 FROM opportunities WHERE close_date < ${s.day}) AS opportunities
)
SELECT a.id AS account,
  inv.invoices, inv.days_late, inv.failed,
  (inv.account IS NULL AND customer.account IS NOT NULL AND source.invoices) AS invoices_zero_ok,
  now_sub.discount_pct, now_sub.seats AS seats_now, then_sub.seats AS seats_then,
  opp.expansions,
  (customer.account IS NOT NULL AND source.opportunities) AS expansions_zero_ok
FROM accounts a
CROSS JOIN source
LEFT JOIN inv ON inv.account = a.id
LEFT JOIN now_sub ON now_sub.account = a.id
LEFT JOIN then_sub ON then_sub.account = a.id
LEFT JOIN opp ON opp.account = a.id
LEFT JOIN customer ON customer.account = a.id
WHERE ${s.accountIn("a.id")}
  AND (inv.account IS NOT NULL OR customer.account IS NOT NULL OR opp.account IS NOT NULL)`;
}

export async function billingMetrics(db: Queryable, ctx: MetricContext): Promise<FoundValues> {
  const s = new Scope(ctx);
  const rows = await db.query<BillingRow & Record<string, unknown>>(billingSql(s), s.params);
  const found = new FoundValues();
  for (const r of rows) {
    if ((num(r.invoices) ?? 0) > 0) found.add(r.account, "avg_days_late_180d", num(r.days_late));
    found.add(r.account, "failed_payments_180d", num(r.failed), r.invoices_zero_ok);
    found.add(r.account, "discount_pct_current", num(r.discount_pct));
    const now = num(r.seats_now);
    const then = num(r.seats_then);
    if (now !== null && then !== null && then > 0) {
      found.add(r.account, "seat_growth_180d", ((now - then) / then) * 100);
    }
    found.add(r.account, "expansion_opportunities_180d", num(r.expansions), r.expansions_zero_ok);
  }
  return found;
}
