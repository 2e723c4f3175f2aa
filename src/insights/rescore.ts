import { AppError } from "../errors.js";
import {
  activeScorecard,
  type RunResult,
  type RunSummary,
  runScoring,
  summaryOf,
  validateScorecard,
} from "../scoring/index.js";
import type { Cell, Db, Queryable } from "../store/index.js";

export interface Mover {
  account: string;
  name: string | null;
  before: number | null;
  after: number | null;
  band_before: string | null;
  band_after: string | null;
  change: number;
}

export interface RescoreEffect {
  run: RunSummary;
  /** The scorecard versions the previous scores were made with. */
  previous_versions: number[];
  /** Accounts whose score or band changed (or that were scored only before or only after). */
  changed: number;
  /** Mean change of the score over the accounts scored before and after. */
  average_change: number | null;
  /** From band to band ("new": not scored before; "gone": not scored now), for every account. */
  moves: { from: string; to: string; accounts: number }[];
  /** The largest rises and falls, largest first. */
  up: Mover[];
  down: Mover[];
}

/**
 * Rescores every account with the active scorecard, as of the date of the
 * current scores unless told otherwise (so what changes is the scorecard's
 * doing, not time's), and says what changed: band moves, the mean change and
 * the largest movers, compared set-based against the scores before the run.
 */
export async function rescoreWithEffect(
  db: Db,
  opts: { asOf?: string; movers?: number; after?: (run: RunResult) => Promise<void> } = {},
): Promise<RescoreEffect> {
  const { asOf, movers = 5 } = opts;
  const limit = Math.max(0, Math.floor(movers));
  const before = await db.query<{ account: string; score: number | null; band: string | null; v: number }>(
    "SELECT account, score::float8 AS score, band, scorecard_version AS v FROM current_scores",
  );
  const [latest] = await db.query<{ as_of: string | null }>("SELECT max(as_of) AS as_of FROM current_scores");
  const when = asOf ?? latest?.as_of ?? new Date().toISOString();
  const result = await runScoring(db, {
    asOf: when,
    scorecard: await activeScorecard(db),
    target: "current",
  });
  await opts.after?.(result);
  const run = summaryOf(result);
  const cells: Cell[][] = before.map((r) => [r.account, r.score === null ? null : String(r.score), r.band]);
  const mover = (cond: string, order: string) => `(SELECT coalesce(json_agg(x), '[]'::json) FROM (
      SELECT j.account, a.name, round(j.before::numeric, 1)::float8 AS before, round(j.after::numeric, 1)::float8 AS after,
             j.band_before, j.band_after,
             round((j.after - j.before)::numeric, 1)::float8 AS change
      FROM j LEFT JOIN accounts a ON a.id = j.account
      WHERE j.after ${cond} j.before ORDER BY j.after - j.before ${order}, j.account LIMIT ${limit}) x)`;
  const [diff] = await db.withRows<{
    moves: { from: string; to: string; accounts: number }[];
    changed: number;
    average_change: number | null;
    up: Mover[];
    down: Mover[];
  }>(
    ["account", "score", "band"],
    cells,
    (src) => `WITH p AS (SELECT src.account, src.score::real AS score, src.band FROM ${src}),
      j AS (
        SELECT coalesce(c.account, p.account) AS account, p.account IS NOT NULL AS had, c.account IS NOT NULL AS has,
               p.score::float8 AS before, c.score::float8 AS after, p.band AS band_before, c.band AS band_after
        FROM current_scores c FULL JOIN p ON p.account = c.account
      )
      SELECT
        (SELECT coalesce(json_agg(m ORDER BY m."from", m."to"), '[]'::json) FROM (
           SELECT CASE WHEN NOT had THEN 'new' ELSE coalesce(band_before, 'unscored') END AS "from",
                  CASE WHEN NOT has THEN 'gone' ELSE coalesce(band_after, 'unscored') END AS "to", count(*)::int AS accounts
           FROM j GROUP BY 1, 2) m) AS moves,
        (SELECT count(*)::int FROM j WHERE NOT had OR NOT has OR before IS DISTINCT FROM after
           OR band_before IS DISTINCT FROM band_after) AS changed,
        (SELECT round(avg(after - before)::numeric, 2)::float8 FROM j WHERE before IS NOT NULL AND after IS NOT NULL) AS average_change,
        ${mover(">", "DESC")} AS up,
        ${mover("<", "ASC")} AS down`,
  );
  return {
    run,
    previous_versions: [...new Set(before.map((r) => r.v))].sort((a, b) => a - b),
    changed: diff?.changed ?? 0,
    average_change: diff?.average_change ?? null,
    moves: diff?.moves ?? [],
    up: diff?.up ?? [],
    down: diff?.down ?? [],
  };
}

export interface ScorecardCheck {
  valid: boolean;
  errors: { field: string; message: string }[];
}

/** Validates a scorecard without saving it, so the editor can show each error at its field while one types. */
export async function checkScorecard(db: Queryable, input: unknown): Promise<ScorecardCheck> {
  try {
    await validateScorecard(db, input);
    return { valid: true, errors: [] };
  } catch (err) {
    if (err instanceof AppError && err.code === "validation_failed") {
      const details = err.details as { field: string; message: string }[];
      return { valid: false, errors: details.map((d) => ({ field: d.field, message: d.message })) };
    }
    throw err;
  }
}
