import type { Cell, Queryable } from "../store/index.js";
import type { Scored } from "./run.js";

/** Current scores, or the history snapshot of the month starting at as-of. */
export type SnapshotTarget = "current" | "history";

const COLUMNS = [
  "account",
  "as_of",
  "version",
  "score",
  "band",
  "completeness",
  "categories",
  "explanation",
  "signals",
  "metrics",
];

function cells(s: Scored, asOf: string, version: number): Cell[] {
  const e = s.evaluation;
  return [
    s.account.id,
    asOf,
    String(version),
    e.score === null ? null : String(e.score),
    e.band,
    String(e.completeness),
    JSON.stringify(e.categories),
    JSON.stringify(e.explanation),
    JSON.stringify(e.signals),
    JSON.stringify(s.metrics),
  ];
}

/** Writes a run's results in one set-based upsert. */
export async function writeSnapshots(
  db: Queryable,
  target: SnapshotTarget,
  asOf: string,
  version: number,
  scored: readonly Scored[],
): Promise<void> {
  if (scored.length === 0) return;
  const values = `src.score::real, src.band, src.completeness::real, src.categories::jsonb, src.explanation::jsonb,
    src.signals::jsonb, src.metrics::jsonb`;
  const set = `score = EXCLUDED.score, band = EXCLUDED.band, completeness = EXCLUDED.completeness,
    categories = EXCLUDED.categories, explanation = EXCLUDED.explanation, signals = EXCLUDED.signals,
    metrics = EXCLUDED.metrics, scorecard_version = EXCLUDED.scorecard_version, computed_at = now()`;
  const sql =
    target === "current"
      ? (
          src: string,
        ) => `INSERT INTO current_scores (account, as_of, score, band, completeness, categories, explanation, signals, metrics, scorecard_version)
          SELECT src.account, src.as_of::timestamptz, ${values}, src.version::int FROM ${src}
          ON CONFLICT (account) DO UPDATE SET as_of = EXCLUDED.as_of, ${set}`
      : (
          src: string,
        ) => `INSERT INTO score_history (account, month, score, band, completeness, categories, explanation, signals, metrics, scorecard_version)
          SELECT src.account, (src.as_of::timestamptz AT TIME ZONE 'UTC')::date, ${values}, src.version::int FROM ${src}
          ON CONFLICT (account, month) DO UPDATE SET ${set}`;
  await db.withRows(
    COLUMNS,
    scored.map((s) => cells(s, asOf, version)),
    sql,
  );
}
