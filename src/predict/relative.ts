import type { Queryable } from "../store/index.js";
import { categoryScoresSql } from "./snapshot-sql.js";

/**
 * Activity that every account loses together in a quiet season — the
 * December holidays, August — enters the model relative to the portfolio:
 * the account's value minus the median of every account scored on the same
 * date. Taken raw, a quiet month looks like churn for everyone: on the
 * simulated company the expected churn of observations dated 1 January came
 * out 57% above what happened, and 1 September 23% above; relative, within
 * 10%. The median at a date is computed from that date's snapshots, which
 * hold only facts from before it, so the features stay point in time.
 */

/** The features taken relative to the portfolio (usage metrics and the product engagement score). */
export const PORTFOLIO_RELATIVE: readonly string[] = [
  "active_users_30d",
  "active_days_per_user_30d",
  "core_feature_adoption_30d",
  "usage_trend_pct",
  "seat_utilisation",
  "category:product_engagement",
];

export const RELATIVE_SUFFIX = ":vs_portfolio";

/** The portfolio's median of each PORTFOLIO_RELATIVE feature (null when no account had a value). */
export type PortfolioMedians = Readonly<Record<string, number | null>>;

function valueSql(feature: string): string {
  const category = /^category:([a-z0-9_]+)$/.exec(feature);
  if (category) return `(${categoryScoresSql("categories")} ->> '${category[1]}')::float8`;
  if (!/^[a-z0-9_]+$/.test(feature)) throw new RangeError(`not a feature name: ${feature}`);
  return `CASE WHEN jsonb_typeof(metrics->'${feature}') = 'number' THEN (metrics->>'${feature}')::float8 END`;
}

const mediansSql = PORTFOLIO_RELATIVE.map(
  (f, i) => `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${valueSql(f)}) AS m${i}`,
).join(",\n  ");

function toMedians(row: Record<string, unknown>): PortfolioMedians {
  const out: Record<string, number | null> = {};
  PORTFOLIO_RELATIVE.forEach((f, i) => {
    const v = row[`m${i}`];
    out[f] = v === null || v === undefined ? null : Number(v);
  });
  return out;
}

/** The portfolio medians of every month of the score history (or of `months` only), by month (YYYY-MM-DD). One query. */
export async function historyMedians(
  db: Queryable,
  months?: readonly string[],
): Promise<Map<string, PortfolioMedians>> {
  const rows = await db.query<Record<string, unknown> & { month: string }>(
    `SELECT to_char(month, 'YYYY-MM-DD') AS month,\n  ${mediansSql}\nFROM score_history
     WHERE $1::date[] IS NULL OR month = ANY($1::date[]) GROUP BY month`,
    [months ? [...months] : null],
  );
  return new Map(rows.map((r) => [r.month, toMedians(r)]));
}

/** The portfolio medians of the current scores (all of them, whichever accounts are predicted). */
export async function currentMedians(db: Queryable): Promise<PortfolioMedians> {
  const [row] = await db.query<Record<string, unknown>>(`SELECT\n  ${mediansSql}\nFROM current_scores`);
  return row ? toMedians(row) : {};
}

/**
 * A feature record with each PORTFOLIO_RELATIVE feature it holds also as
 * `<name>:vs_portfolio` (value − median; missing when the median is). With
 * `keepRaw` false the raw value is dropped, so a model learns from the
 * relative one only.
 */
export function withRelative(
  record: Readonly<Record<string, number>>,
  medians: PortfolioMedians | undefined,
  keepRaw: boolean,
): Record<string, number> {
  const out: Record<string, number> = { ...record };
  for (const f of PORTFOLIO_RELATIVE) {
    const v = record[f];
    if (v === undefined) continue;
    const m = medians?.[f];
    if (m !== null && m !== undefined && Number.isFinite(m)) out[`${f}${RELATIVE_SUFFIX}`] = v - m;
    if (!keepRaw) delete out[f];
  }
  return out;
}
