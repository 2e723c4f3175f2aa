import { type Cell, type Db, type Queryable, retryTransient } from "../store/index.js";

/** Any fixed number: the advisory lock every writer of current scores and score history takes. */
const SCORES_LOCK = 7_310_002;

/**
 * Runs `fn` in a transaction holding the scores lock, so runs that write the
 * same accounts' scores (two `keepwell score`, a fresh-scores job and a full
 * run, predictions refreshed beside them) queue behind one another instead of
 * colliding; a deadlock or serialisation failure is retried from the start.
 */
export function withScoresLock<T>(db: Db, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return retryTransient(() => db.withLock(SCORES_LOCK, fn));
}

import type { Scored } from "./run.js";
import { writeScoreEvents } from "./score-events.js";

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

/** An account's current score before a run replaced it. */
export type PreviousScore = {
  account: string;
  score: number | null;
  band: string | null;
  churn_probability: number | null;
};

/**
 * Writes a run's results: the accounts' old snapshots are deleted and the new
 * ones COPYed in, in one transaction (cheaper than an upsert of wide rows).
 * For current scores it returns what they replaced, so the run can say what
 * changed.
 */
export async function writeSnapshots(
  db: Db,
  target: SnapshotTarget,
  asOf: string,
  version: number,
  scored: readonly Scored[],
): Promise<PreviousScore[]> {
  if (scored.length === 0) return [];
  const ids = scored.map((s) => s.account.id);
  const month = `${asOf.slice(0, 7)}-01`;
  const rows = scored.map((s) => cells(s, target === "current" ? asOf : month, version));
  const table = target === "current" ? "current_scores" : "score_history";
  const columns = [
    "account",
    target === "current" ? "as_of" : "month",
    "scorecard_version",
    ...COLUMNS.slice(3),
  ];
  return withScoresLock(db, async (tx) => {
    let previous: PreviousScore[] = [];
    if (target === "current")
      previous = await tx.query<PreviousScore>(
        `DELETE FROM current_scores WHERE account = ANY($1::text[])
         RETURNING account, score::float8 AS score, band, churn_probability::float8 AS churn_probability`,
        [ids],
      );
    else
      await tx.query("DELETE FROM score_history WHERE month = $1::date AND account = ANY($2::text[])", [
        month,
        ids,
      ]);
    const n = await tx.appendRows(table, columns, rows);
    // Cannot happen under the lock; kept as a guard that names the table.
    if (n === "conflict") throw new Error(`could not write ${table}: a row of these accounts exists already`);
    // Band moves and drops are announced with the scores that made them.
    if (target === "current") await writeScoreEvents(tx, scored, previous);
    return previous;
  });
}
