import type { Queryable } from "../store/index.js";
import { snapshotRecord } from "./observations.js";
import { currentMedians, historyMedians } from "./relative.js";
import { categoryScoresSql, signalNamesSql } from "./snapshot-sql.js";
import { snapshotMonthBefore, TREND_MONTHS, withTrends } from "./trend.js";

/**
 * The features of the current scores, as the model saw them in training
 * (observations.ts): the snapshot's own, relative to the portfolio's current
 * medians (the raw values kept too, so a model trained before relative
 * features existed still finds its own), and the trends against each
 * account's history snapshots one and three months before (the month start
 * nearest to that date, relative to that month's medians). Three queries,
 * whatever the number of accounts.
 */

export interface CurrentFeatures {
  accounts: string[];
  /** When each account's current score was computed (ISO). */
  asOf: string[];
  records: Record<string, number>[];
}

interface CurrentRow extends Record<string, unknown> {
  account: string;
  score: number | null;
  metrics: Record<string, unknown>;
  categories: Record<string, unknown>;
  signals: string[];
  as_of: string;
}

interface HistoryRow extends Record<string, unknown> {
  account: string;
  month: string;
  score: number | null;
  metrics: Record<string, unknown>;
  categories: Record<string, unknown>;
}

/** Current features of every scored account, or of `accounts` only; ordered by account. */
export async function currentFeatures(db: Queryable, accounts?: readonly string[]): Promise<CurrentFeatures> {
  const rows = await db.query<CurrentRow>(
    `SELECT account, score, metrics, ${categoryScoresSql("categories")} AS categories,
            ${signalNamesSql("signals")} AS signals, as_of FROM current_scores
     WHERE $1::text[] IS NULL OR account = ANY($1::text[]) ORDER BY account`,
    [accounts ? [...accounts] : null],
  );
  const asOf = rows.map((r) => new Date(r.as_of).toISOString());
  const months = [...new Set(asOf.flatMap((t) => TREND_MONTHS.map((k) => snapshotMonthBefore(t, k))))];
  const earlier =
    rows.length === 0
      ? []
      : await db.query<HistoryRow>(
          `SELECT account, to_char(month, 'YYYY-MM-DD') AS month, score, metrics,
                  ${categoryScoresSql("categories")} AS categories
           FROM score_history WHERE month = ANY($1::date[]) AND ($2::text[] IS NULL OR account = ANY($2::text[]))`,
          [months, accounts ? [...accounts] : null],
        );
  const medians = rows.length === 0 ? new Map() : await historyMedians(db, months);
  const past = new Map(
    earlier.map((h) => [`${h.account}|${h.month}`, snapshotRecord(h, medians.get(h.month), false)]),
  );
  const now = await currentMedians(db);
  const records = rows.map((r, i) =>
    withTrends(snapshotRecord(r, now, true), (k) =>
      past.get(`${r.account}|${snapshotMonthBefore(asOf[i] as string, k)}`),
    ),
  );
  return { accounts: rows.map((r) => r.account), asOf, records };
}
