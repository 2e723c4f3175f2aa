import { METRIC_NAMES } from "../domain/index.js";
import { backfill, runScoring, type ScorecardVersion } from "../scoring/index.js";
import type { Db, Queryable } from "../store/index.js";

/**
 * The span of the facts (the first and the last known date) and the monthly
 * score history the observations are read from: `ensureHistory` replays the
 * months (and the accounts) that have no snapshot yet, point in time, with the
 * given scorecard.
 */

export interface DataSpan {
  /** The oldest dated fact (ISO instant); null when the store holds none. */
  first: string | null;
  /**
   * The last known date: the newest dated fact (a daily value counts as known
   * at the end of its day). Labels need the horizon after an observation to
   * have passed by then. Churn dates do not count: a churn may be recorded ahead.
   */
  last: string | null;
}

const DAY_MS = 86_400_000;

/** Dated facts: each table's oldest and newest date (a daily row is known at the end of its day). */
const FACT_DATES: readonly { table: string; first: string; last: string }[] = [
  { table: "usage_user_days", first: "min(day)", last: "max(day) + 1" },
  { table: "metrics", first: "min(date)", last: "max(date) + 1" },
  { table: "tickets", first: "min(opened_at)", last: "max(opened_at)" },
  { table: "invoices", first: "min(issued_at)", last: "max(issued_at)" },
  { table: "meetings", first: "min(scheduled_at)", last: "max(scheduled_at)" },
  { table: "surveys", first: "min(ts)", last: "max(ts)" },
  { table: "notes", first: "min(ts)", last: "max(ts)" },
];

/** The oldest and newest dated fact in the store (one statement; `extract(epoch)` of a date is UTC midnight). */
export async function dataSpan(db: Queryable): Promise<DataSpan> {
  const parts = FACT_DATES.map(
    (f) =>
      `SELECT (extract(epoch FROM ${f.first}) * 1000)::float8 AS first, (extract(epoch FROM ${f.last}) * 1000)::float8 AS last FROM ${f.table}`,
  );
  const [row] = await db.query<{ first: number | null; last: number | null }>(
    `SELECT min(first) AS first, max(last) AS last FROM (${parts.join(" UNION ALL ")}) s`,
  );
  const iso = (ms: number | null | undefined) =>
    ms === null || ms === undefined || !Number.isFinite(Number(ms))
      ? null
      : new Date(Number(ms)).toISOString();
  return { first: iso(row?.first), last: iso(row?.last) };
}

/**
 * The observation dates the history should hold for a span: the first of every
 * month after the first fact (a month's snapshot sees the facts before it), up
 * to the last known date.
 */
export function observationMonths(span: DataSpan): string[] {
  if (!span.first || !span.last) return [];
  const first = Date.parse(span.first);
  const start = new Date(first + DAY_MS);
  start.setUTCHours(0, 0, 0, 0);
  if (start.getUTCDate() !== 1) start.setUTCMonth(start.getUTCMonth() + 1, 1);
  const end = Date.parse(span.last);
  const out: string[] = [];
  for (const d = start; d.getTime() <= end; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(d.toISOString());
  return out;
}

export interface EnsureHistoryResult {
  /** Months replayed for every account (they had no snapshot at all). */
  months: string[];
  /** Accounts without any snapshot that were replayed over the existing months. */
  accounts: number;
  span: DataSpan;
  /** Catalogue metrics the current scores carry and no snapshot does (see metricsMissingFromHistory). */
  missing_metrics: string[];
}

/**
 * Catalogue metrics that the current scores carry but no history snapshot
 * does: the history was scored before Keepwell computed them (an upgrade
 * added them), so the model cannot learn from them until `keepwell score
 * --backfill` replays the history. A metric no account has a value for
 * (its facts are not sent) is not reported.
 */
export async function metricsMissingFromHistory(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.name FROM (SELECT DISTINCT jsonb_object_keys(metrics) AS name FROM current_scores) c
     WHERE c.name = ANY($1::text[])
       AND EXISTS (SELECT 1 FROM score_history)
       AND NOT EXISTS (SELECT 1 FROM score_history h WHERE h.metrics ? c.name)
     ORDER BY c.name`,
    [[...METRIC_NAMES]],
  );
  return rows.map((r) => r.name);
}

/**
 * Makes sure the monthly history covers the data: every observation month with
 * no snapshot is backfilled (all accounts), and accounts that have no snapshot
 * at all although they were customers during the history are replayed over the
 * months that exist. Existing snapshots are left as they are (`keepwell score
 * --backfill` replays them).
 */
export async function ensureHistory(
  db: Db,
  scorecard: ScorecardVersion,
  opts: { onMonth?: (asOf: string, accounts: number) => void } = {},
): Promise<EnsureHistoryResult> {
  const span = await dataSpan(db);
  const wanted = observationMonths(span);
  const present = new Set(
    (
      await db.query<{ month: string }>(
        "SELECT DISTINCT to_char(month, 'YYYY-MM-DD') AS month FROM score_history",
      )
    ).map((r) => r.month),
  );
  const missing = wanted.filter((m) => !present.has(m.slice(0, 10)));
  for (const asOf of missing) {
    const [run] = await backfill(db, scorecard, asOf, asOf.slice(0, 10));
    opts.onMonth?.(asOf, run?.accounts ?? 0);
  }
  const existing = wanted.filter((m) => present.has(m.slice(0, 10)));
  let replayed = 0;
  if (existing.length > 0) {
    // Accounts without any snapshot, each with the span it was a customer (as accountsAt sees it).
    const candidates = await db.query<{ id: string; since: number | null; until: number | null }>(
      `SELECT a.id, (extract(epoch FROM (SELECT min(s.started_at) FROM subscriptions s WHERE s.account = a.id)) * 1000)::float8 AS since,
              (extract(epoch FROM a.churned_at) * 1000)::float8 AS until
       FROM accounts a WHERE NOT EXISTS (SELECT 1 FROM score_history h WHERE h.account = a.id) ORDER BY a.id`,
    );
    const touched = new Set<string>();
    for (const asOf of existing) {
      const t = Date.parse(asOf);
      const ids = candidates
        .filter((c) => (c.since === null || Number(c.since) < t) && (c.until === null || Number(c.until) > t))
        .map((c) => c.id);
      if (ids.length === 0) continue;
      const run = await runScoring(db, { asOf, scorecard, accounts: ids, target: "history" });
      opts.onMonth?.(asOf, run.accounts);
      for (const id of ids) touched.add(id);
    }
    replayed = touched.size;
  }
  return { months: missing, accounts: replayed, span, missing_metrics: await metricsMissingFromHistory(db) };
}
