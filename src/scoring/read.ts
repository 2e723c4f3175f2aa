import type { Band, Evaluation } from "../domain/index.js";
import { AppError } from "../errors.js";
import type { ChurnDriver } from "../predict/index.js";
import { groupName, type Queryable } from "../store/index.js";
import type { Scored } from "./run.js";

/** An account's current score, its explanation and the churn model's view: a current_scores row. */
export type ScoreSnapshot = Pick<
  Evaluation,
  "score" | "band" | "completeness" | "categories" | "signals" | "explanation"
> & {
  account: string;
  as_of: string;
  metrics: Scored["metrics"];
  scorecard_version: number;
  computed_at: string;
  /** Null until a churn model has scored the account. */
  churn_probability: number | null;
  churn_drivers: ChurnDriver[] | null;
};

/** One month of an account's score history (a score_history row). */
export type ScoreHistoryPoint = Pick<Evaluation, "score" | "band" | "completeness" | "categories"> & {
  /** The first of the month (YYYY-MM-DD). */
  month: string;
  scorecard_version: number;
};

/** Active accounts of a segment or owner with a current score. */
export type GroupSummary = {
  accounts: number;
  average_score: number | null;
  arr: number;
  at_risk_or_critical: number;
};

export type Portfolio = {
  as_of: string | null;
  scorecard_version: number | null;
  bands: { band: Band | "unscored"; accounts: number; arr: number }[];
  /** From the band of the latest monthly snapshot before the current month ("new": none) to the current one. */
  movement: {
    since: string | null;
    moves: { from: Band | "new"; to: Band | "unscored"; accounts: number; arr: number }[];
  };
  segments: (GroupSummary & { segment: string })[];
  owners: (GroupSummary & { owner: string })[];
};

const SNAPSHOT = `score, band, completeness, categories, explanation, signals, metrics, scorecard_version, computed_at,
  churn_probability, churn_drivers`;

export async function currentScore(db: Queryable, account: string): Promise<ScoreSnapshot> {
  const [acc] = await db.query("SELECT id FROM accounts WHERE id = $1", [account]);
  if (!acc) throw new AppError("not_found", `no account with id "${account}"`);
  const [row] = await db.query<ScoreSnapshot>(
    `SELECT account, as_of, ${SNAPSHOT} FROM current_scores WHERE account = $1`,
    [account],
  );
  if (!row) throw new AppError("not_found", `account "${account}" has no score yet: run keepwell score`);
  return row;
}

export async function scoreHistory(db: Queryable, account: string): Promise<ScoreHistoryPoint[]> {
  const [acc] = await db.query("SELECT id FROM accounts WHERE id = $1", [account]);
  if (!acc) throw new AppError("not_found", `no account with id "${account}"`);
  return db.query<ScoreHistoryPoint>(
    `SELECT month, score, band, completeness, categories, scorecard_version FROM score_history
     WHERE account = $1 ORDER BY month`,
    [account],
  );
}

/**
 * The portfolio: accounts and ARR per band now, how bands moved since the
 * latest monthly snapshot before the current month, and averages per segment
 * and per owner. Churned accounts are left out.
 */
export async function portfolio(db: Queryable): Promise<Portfolio> {
  const bands = await db.query<Portfolio["bands"][number]>(
    `SELECT coalesce(c.band, 'unscored') AS band, count(*)::int AS accounts, coalesce(sum(a.arr), 0)::float8 AS arr
     FROM accounts a LEFT JOIN current_scores c ON c.account = a.id
     WHERE a.status = 'active' GROUP BY 1 ORDER BY 1`,
  );
  const [last] = await db.query<{ month: string | null }>(
    `SELECT max(h.month) AS month FROM score_history h
     WHERE h.month < date_trunc('month', coalesce((SELECT max(as_of) FROM current_scores), now()) AT TIME ZONE 'UTC')::date`,
  );
  const movement = last?.month
    ? await db.query<Portfolio["movement"]["moves"][number]>(
        `SELECT coalesce(h.band, 'new') AS "from", coalesce(c.band, 'unscored') AS "to", count(*)::int AS accounts,
                coalesce(sum(a.arr), 0)::float8 AS arr
         FROM accounts a JOIN current_scores c ON c.account = a.id
         LEFT JOIN score_history h ON h.account = a.id AND h.month = $1::date
         WHERE a.status = 'active' GROUP BY 1, 2 ORDER BY 1, 2`,
        [last.month],
      )
    : [];
  const group = <C extends "segment" | "owner">(col: C) =>
    db.query<GroupSummary & Record<C, string>>(
      `SELECT ${groupName(`a.${col}`)} AS ${col}, count(*)::int AS accounts, round(avg(c.score)::numeric, 1)::float8 AS average_score,
              coalesce(sum(a.arr), 0)::float8 AS arr,
              count(*) FILTER (WHERE c.band IN ('at_risk', 'critical'))::int AS at_risk_or_critical
       FROM accounts a JOIN current_scores c ON c.account = a.id
       WHERE a.status = 'active' GROUP BY 1 ORDER BY 1`,
    );
  const [version] = await db.query<{ v: number | null; as_of: string | null }>(
    "SELECT max(scorecard_version) AS v, max(as_of) AS as_of FROM current_scores",
  );
  return {
    as_of: version?.as_of ?? null,
    scorecard_version: version?.v ?? null,
    bands,
    movement: { since: last?.month ?? null, moves: movement },
    segments: await group("segment"),
    owners: await group("owner"),
  };
}
