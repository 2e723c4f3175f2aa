import { type Bands, DEFAULT_BANDS } from "../domain/index.js";
import { groupMatch, groupName, type Queryable } from "../store/index.js";

export const BANDS = ["healthy", "watch", "at_risk", "critical"] as const;
export type BandName = (typeof BANDS)[number];
export type BandCounts = Record<BandName, number>;

export interface HistogramBucket {
  from: number;
  to: number;
  accounts: number;
  bands: BandCounts;
}

export interface ScoreHistogram {
  bucket_size: number;
  buckets: HistogramBucket[];
  /** Active accounts without a numeric score. */
  unscored: number;
}

export interface HistogramFilter {
  segment?: string;
  owner?: string;
}

const noBands = (): BandCounts => ({ healthy: 0, watch: 0, at_risk: 0, critical: 0 });

/** Current scores of active accounts in buckets of `size` points (0–100), each split by band. */
export async function scoreHistogram(
  db: Queryable,
  size = 5,
  filter: HistogramFilter = {},
): Promise<ScoreHistogram> {
  const count = Math.ceil(100 / size);
  const params: unknown[] = [size, count - 1];
  const where = ["a.status = 'active'"];
  for (const f of ["segment", "owner"] as const) {
    const value = filter[f];
    if (value !== undefined) where.push(groupMatch(`a.${f}`, value, params));
  }
  const rows = await db.query<{ bucket: number | null; band: string | null; accounts: number }>(
    `SELECT least(floor(c.score / $1::float8), $2::int)::int AS bucket, c.band, count(*)::int AS accounts
     FROM accounts a JOIN current_scores c ON c.account = a.id
     WHERE ${where.join(" AND ")}
     GROUP BY 1, 2`,
    params,
  );
  const buckets: HistogramBucket[] = Array.from({ length: count }, (_, i) => ({
    from: i * size,
    to: Math.min(100, (i + 1) * size),
    accounts: 0,
    bands: noBands(),
  }));
  let unscored = 0;
  for (const r of rows) {
    const b = r.bucket === null ? undefined : buckets[r.bucket];
    if (!b) {
      unscored += r.accounts;
      continue;
    }
    b.accounts += r.accounts;
    if (r.band && r.band in b.bands) b.bands[r.band as BandName] += r.accounts;
  }
  return { bucket_size: size, buckets, unscored };
}

export interface GroupDistribution {
  group: string;
  accounts: number;
  arr: number;
  average_score: number | null;
  /** Score quantiles: p10, p25, median, p75, p90 (null when no account of the group has a score). */
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  min: number | null;
  max: number | null;
  bands: BandCounts;
}

/** How current scores spread within each segment or owner (active accounts). */
export async function groupDistributions(
  db: Queryable,
  by: "segment" | "owner",
): Promise<GroupDistribution[]> {
  const col = by === "segment" ? "a.segment" : "a.owner";
  const rows = await db.query<{
    group: string;
    accounts: number;
    arr: number;
    average_score: number | null;
    q: (number | null)[] | null;
    min: number | null;
    max: number | null;
    healthy: number;
    watch: number;
    at_risk: number;
    critical: number;
  }>(
    `SELECT ${groupName(col)} AS "group", count(*)::int AS accounts, coalesce(sum(a.arr), 0)::float8 AS arr,
            round(avg(c.score)::numeric, 1)::float8 AS average_score,
            percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY c.score) AS q,
            min(c.score)::float8 AS min, max(c.score)::float8 AS max,
            count(*) FILTER (WHERE c.band = 'healthy')::int AS healthy,
            count(*) FILTER (WHERE c.band = 'watch')::int AS watch,
            count(*) FILTER (WHERE c.band = 'at_risk')::int AS at_risk,
            count(*) FILTER (WHERE c.band = 'critical')::int AS critical
     FROM accounts a JOIN current_scores c ON c.account = a.id
     WHERE a.status = 'active'
     GROUP BY 1 ORDER BY 1`,
  );
  const round = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(v * 10) / 10;
  return rows.map((r) => ({
    group: r.group,
    accounts: r.accounts,
    arr: r.arr,
    average_score: r.average_score,
    p10: round(r.q?.[0]),
    p25: round(r.q?.[1]),
    median: round(r.q?.[2]),
    p75: round(r.q?.[3]),
    p90: round(r.q?.[4]),
    min: round(r.min),
    max: round(r.max),
    bands: { healthy: r.healthy, watch: r.watch, at_risk: r.at_risk, critical: r.critical },
  }));
}

/** The active scorecard's band thresholds (the defaults before any scorecard exists). */
export async function bandThresholds(db: Queryable): Promise<Bands> {
  const [row] = await db.query<{ bands: Bands | null }>(
    "SELECT definition -> 'bands' AS bands FROM scorecard_versions ORDER BY version DESC LIMIT 1",
  );
  return row?.bands ?? { ...DEFAULT_BANDS };
}
