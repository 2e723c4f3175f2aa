/**
 * Contract metrics, in one query over subscriptions: when the contract renews,
 * its term, and how long the account has been a customer.
 *
 * The contract starts with the first subscription of the account's current
 * unbroken run (started before T): a subscription that starts more than a day
 * after every earlier one ended is a customer coming back, and starts a new
 * contract; one that starts while an earlier one runs (an expansion, a
 * renewal's new row) continues it. Renewals fall every `term_months` after
 * that start, the term being that of the subscription active at T (the
 * latest started). Tenure counts from the same start. Month arithmetic is in
 * UTC (a renewal on the 31st falls on the last day of shorter months).
 */
import type { Queryable } from "../store/index.js";
import { activeSubscriptionSql, type MetricContext, Scope } from "./scope.js";
import { FoundValues, num } from "./values.js";

interface ContractRow {
  account: string;
  term_months: number | null;
  days_to_renewal: number | null;
  tenure_days: number | null;
}

export function contractSql(s: Scope): string {
  const t = `(${s.t} AT TIME ZONE 'UTC')`;
  return `
WITH now_sub AS (${activeSubscriptionSql(s, s.t)}
), runs AS (
  -- each subscription, with the latest end of those started before it (null: none, or one still running)
  SELECT account, started_at,
    max(coalesce(ended_at, 'infinity'::timestamptz)) OVER (
      PARTITION BY account ORDER BY started_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ) AS covered_until
  FROM subscriptions
  WHERE started_at < ${s.t} AND ${s.accountIn("account")}
), first_sub AS (
  SELECT account, max(started_at) AT TIME ZONE 'UTC' AS anchor
  FROM runs
  WHERE covered_until IS NULL OR started_at > covered_until + interval '1 day'
  GROUP BY account
), contract AS (
  SELECT n.account, n.term_months, f.anchor,
    -- whole months from the contract start to T, rounded up to whole terms
    n.term_months * ceil(
      (extract(year FROM age(${t}, f.anchor)) * 12 + extract(month FROM age(${t}, f.anchor)))
      / n.term_months::numeric)::int AS months
  FROM now_sub n JOIN first_sub f ON f.account = n.account
)
SELECT account, term_months,
  -- that many months after the start, or one term more when it falls before T (mid-month)
  extract(epoch FROM anchor + make_interval(months => months
    + CASE WHEN anchor + make_interval(months => months) < ${t} THEN term_months ELSE 0 END) - ${t}) / 86400
    AS days_to_renewal,
  extract(epoch FROM ${t} - anchor) / 86400 AS tenure_days
FROM contract`;
}

export async function contractMetrics(db: Queryable, ctx: MetricContext): Promise<FoundValues> {
  const s = new Scope(ctx);
  const rows = await db.query<ContractRow & Record<string, unknown>>(contractSql(s), s.params);
  const found = new FoundValues();
  for (const r of rows) {
    found.add(r.account, "days_to_renewal", num(r.days_to_renewal));
    found.add(r.account, "contract_term_months", num(r.term_months));
    found.add(r.account, "tenure_days", num(r.tenure_days));
  }
  return found;
}
