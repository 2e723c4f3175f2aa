/**
 * Product usage metrics, from the daily roll-ups (never raw events), in one
 * query: one pass over 90 days of `usage_user_days` and 30 days of
 * `usage_feature_days`. Roll-up rows are partial sums (several rows per key),
 * so sums add them up and distinct days are counted with a bit per day.
 *
 * The same pass lists the event users of the last 90 days who are contacts of
 * the account (by contact id or email), for engaged stakeholders (see
 * engagement.ts), and finds the last day a champion was active, so the
 * roll-ups are read once.
 */
import type { Queryable } from "../store/index.js";
import { USAGE_WINDOW_DAYS } from "./catalogue.js";
import { activeSubscriptionSql, customerSql, type MetricContext, Scope } from "./scope.js";
import { FoundValues, num } from "./values.js";

interface UsageRow {
  account: string;
  /** Whether the account had any usage in the 90-day window. */
  seen: boolean;
  /** A customer at T while the store holds usage before T: no usage means zero usage. */
  zero_ok: boolean;
  seats: number | null;
  active_users: number | null;
  user_days: number | null;
  /** Summed event values of named users in the last 30 days. */
  user_actions: number | null;
  recent: number | null;
  earlier: number | null;
  core_used: number | null;
  contact_users: string[] | null;
  /** Whether any of the account's contacts is a champion. */
  has_champion: boolean;
  /** Days from the last day a champion was active (in the 90-day window) to T's day. */
  champion_idle: number | null;
}

export interface UsageResult {
  found: FoundValues;
  /** Per account: the event users of the last 90 days who are its contacts. */
  contactUsers: Map<string, string[]>;
}

export function usageSql(s: Scope, coreFeatures: readonly string[]): string {
  const cores = [...new Set(coreFeatures)];
  const core = s.param(cores);
  const noBits = `B'${"0".repeat(Math.max(1, cores.length))}'::varbit`;
  const start = s.dayMinus(30);
  return `
WITH uu AS (
  -- Per (account, user): a bit per day active in the last 30 days (so partial
  -- rows of one day count once), and the value sums of both trend periods.
  SELECT account, user_id,
    bit_or(1::bigint << (day - ${start})) FILTER (WHERE day >= ${start}) AS days,
    sum(value) FILTER (WHERE day >= ${start}) AS recent,
    sum(value) FILTER (WHERE day < ${start}) AS earlier,
    max(day) AS last_day
  FROM usage_user_days
  WHERE day >= ${s.dayMinus(USAGE_WINDOW_DAYS)} AND day < ${s.day} AND ${s.accountIn("account")}
  GROUP BY account, user_id
), u AS (
  SELECT account,
    count(days) FILTER (WHERE user_id <> '') AS active_users,
    sum(bit_count(days::bit(64))) FILTER (WHERE user_id <> '') AS user_days,
    sum(recent) FILTER (WHERE user_id <> '') AS user_actions,
    coalesce(sum(recent), 0) AS recent,
    sum(earlier) AS earlier
  FROM uu GROUP BY account
), uc AS (
  -- Event users who are contacts of the account: the event's user is the
  -- contact's id, or its email in any case (product analytics know people by
  -- email, the CRM by its own ids).
  SELECT uu.account, c.id AS contact, uu.last_day
  FROM uu JOIN contacts c ON c.account = uu.account AND c.id = uu.user_id
  UNION ALL
  SELECT uu.account, c.id, uu.last_day
  FROM uu JOIN contacts c ON c.account = uu.account AND lower(c.email) = lower(uu.user_id)
  WHERE strpos(uu.user_id, '@') > 0 AND c.id <> uu.user_id
), cu AS (
  SELECT account, array_agg(DISTINCT contact ORDER BY contact) AS contact_users
  FROM uc GROUP BY account
), ch AS (
  SELECT c.account, max(uc.last_day) AS last_day
  FROM contacts c LEFT JOIN uc ON uc.account = c.account AND uc.contact = c.id
  WHERE c.role = 'champion' AND ${s.accountIn("c.account")}
  GROUP BY c.account
), f AS (
  -- A bit per core feature used in the last 30 days (no sort for DISTINCT).
  SELECT account, bit_count(bit_or(set_bit(${noBits}, array_position(${core}::text[], name) - 1, 1))) AS core_used
  FROM usage_feature_days
  WHERE day >= ${start} AND day < ${s.day} AND name = ANY(${core}::text[]) AND ${s.accountIn("account")}
  GROUP BY account
), sub AS (${activeSubscriptionSql(s, s.t)}
), customer AS (${customerSql(s)}
), source AS (
  SELECT EXISTS (SELECT 1 FROM usage_user_days WHERE day < ${s.day}) AS connected
)
SELECT a.id AS account,
  u.account IS NOT NULL AS seen,
  (customer.account IS NOT NULL AND source.connected) AS zero_ok,
  coalesce(sub.seats, a.seats) AS seats,
  u.active_users, u.user_days, u.user_actions, u.recent, u.earlier,
  coalesce(f.core_used, 0) AS core_used,
  cu.contact_users,
  ch.account IS NOT NULL AS has_champion,
  ${s.day} - ch.last_day AS champion_idle
FROM accounts a
CROSS JOIN source
LEFT JOIN u ON u.account = a.id
LEFT JOIN cu ON cu.account = a.id
LEFT JOIN ch ON ch.account = a.id
LEFT JOIN f ON f.account = a.id
LEFT JOIN sub ON sub.account = a.id
LEFT JOIN customer ON customer.account = a.id
WHERE ${s.accountIn("a.id")} AND (u.account IS NOT NULL OR customer.account IS NOT NULL)`;
}

export async function usageMetrics(db: Queryable, ctx: MetricContext): Promise<UsageResult> {
  const s = new Scope(ctx);
  const rows = await db.query<UsageRow & Record<string, unknown>>(usageSql(s, ctx.coreFeatures), s.params);
  const found = new FoundValues();
  const contactUsers = new Map<string, string[]>();
  const cores = new Set(ctx.coreFeatures).size;
  for (const r of rows) {
    const zero = !r.seen && r.zero_ok;
    const seen = r.seen;
    const users = seen ? (num(r.active_users) ?? 0) : null;
    const seats = num(r.seats);
    found.add(r.account, "active_users_30d", users, zero);
    const userDays = num(r.user_days) ?? 0;
    if (users !== null && users > 0) found.add(r.account, "active_days_per_user_30d", userDays / users);
    if (userDays > 0)
      found.add(r.account, "actions_per_active_day_30d", (num(r.user_actions) ?? 0) / userDays);
    if (seats !== null && seats > 0) {
      found.add(r.account, "seat_utilisation", users === null ? null : users / seats, zero);
    }
    if (cores > 0) {
      found.add(r.account, "core_feature_adoption_30d", seen ? (num(r.core_used) ?? 0) / cores : null, zero);
    }
    const earlier = num(r.earlier);
    if (earlier !== null && earlier > 0) {
      const before = (earlier * 30) / (USAGE_WINDOW_DAYS - 30); // the earlier period, per 30 days
      found.add(r.account, "usage_trend_pct", (((num(r.recent) ?? 0) - before) / before) * 100);
    }
    if (r.has_champion) {
      const idle = num(r.champion_idle) ?? (r.zero_ok ? USAGE_WINDOW_DAYS : null);
      found.add(r.account, "days_since_champion_active", idle);
    }
    if (r.contact_users?.length) contactUsers.set(r.account, r.contact_users);
  }
  return { found, contactUsers };
}
