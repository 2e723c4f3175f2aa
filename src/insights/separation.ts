import { metricLabel } from "../domain/index.js";
import type { Queryable } from "../store/index.js";

export interface GroupStats {
  accounts: number;
  mean: number | null;
  median: number | null;
}

export interface MetricSeparation {
  metric: string;
  label: string;
  healthy: GroupStats;
  at_risk: GroupStats;
  /**
   * The chance that a healthy account has a higher value than an at-risk one
   * (the area under the ROC curve, ties counted half): 0.5 does not separate,
   * 1 or 0 separates perfectly.
   */
  auc: number;
  /** |auc − 0.5| × 2, from 0 (no separation) to 1: what the table is sorted by. */
  separation: number;
  /** Standardised mean difference (Cohen's d, healthy minus at risk); null when it cannot be computed. */
  effect_size: number | null;
  direction: "higher_in_healthy" | "lower_in_healthy" | "no_difference";
}

const NUM = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const r3 = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

/**
 * Which metrics differ most between healthy accounts and those at risk or
 * critical, from the metrics of the current scores (active accounts). The
 * area under the ROC curve comes from the Mann–Whitney rank sum, computed in
 * SQL with average ranks for ties.
 */
export async function metricSeparation(db: Queryable, minPerGroup = 3): Promise<MetricSeparation[]> {
  const rows = await db.query<Record<string, unknown>>(
    `WITH g AS (
       SELECT CASE WHEN c.band = 'healthy' THEN 'h' ELSE 'r' END AS grp, c.metrics
       FROM current_scores c JOIN accounts a ON a.id = c.account
       WHERE a.status = 'active' AND c.band IN ('healthy', 'at_risk', 'critical')
     ),
     v AS (
       SELECT g.grp, e.key AS metric, (e.value)::float8 AS value
       FROM g CROSS JOIN LATERAL jsonb_each(g.metrics) e
       WHERE jsonb_typeof(e.value) = 'number'
     ),
     ranked AS (
       SELECT metric, grp, value,
              rank() OVER (PARTITION BY metric ORDER BY value)
                + (count(*) OVER (PARTITION BY metric, value) - 1) / 2.0 AS r
       FROM v
     ),
     s AS (
       SELECT metric, grp, count(*)::float8 AS n, avg(value) AS mean, stddev_samp(value) AS sd,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median, sum(r)::float8 AS rank_sum
       FROM ranked GROUP BY metric, grp
     )
     SELECT h.metric, h.n AS h_n, h.mean AS h_mean, h.median AS h_median,
            r.n AS r_n, r.mean AS r_mean, r.median AS r_median,
            (h.rank_sum - h.n * (h.n + 1) / 2) / (h.n * r.n) AS auc,
            (h.mean - r.mean) / nullif(sqrt(((h.n - 1) * coalesce(h.sd, 0) ^ 2 + (r.n - 1) * coalesce(r.sd, 0) ^ 2)
              / nullif(h.n + r.n - 2, 0)), 0) AS effect
     FROM s h JOIN s r ON r.metric = h.metric AND r.grp = 'r'
     WHERE h.grp = 'h' AND h.n >= $1 AND r.n >= $1`,
    [minPerGroup],
  );
  return rows
    .map((row): MetricSeparation => {
      const auc = NUM(row.auc) ?? 0.5;
      const separation = Math.abs(auc - 0.5) * 2;
      return {
        metric: String(row.metric),
        label: metricLabel(String(row.metric)),
        healthy: { accounts: NUM(row.h_n) ?? 0, mean: r3(NUM(row.h_mean)), median: r3(NUM(row.h_median)) },
        at_risk: { accounts: NUM(row.r_n) ?? 0, mean: r3(NUM(row.r_mean)), median: r3(NUM(row.r_median)) },
        auc: r3(auc) ?? 0.5,
        separation: r3(separation) ?? 0,
        effect_size: r3(NUM(row.effect)),
        direction: separation < 0.02 ? "no_difference" : auc > 0.5 ? "higher_in_healthy" : "lower_in_healthy",
      };
    })
    .sort((a, b) => b.separation - a.separation || a.metric.localeCompare(b.metric));
}
