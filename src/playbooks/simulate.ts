import { ownerUserIdSql } from "../auth/index.js";
import type { Band } from "../domain/index.js";
import {
  DAY_MS,
  type HistoryPoint,
  lookBackDays,
  metricsUsed,
  monthSteps,
  type Playbooks,
  type SimulatedAccount,
  type SimulationReport,
  simulatePlaybooks,
  Team,
  type Trigger,
} from "../domain/playbooks/index.js";
import { AppError } from "../errors.js";
import { activeScorecard } from "../scoring/index.js";
import type { Queryable } from "../store/index.js";
import { loadTeam } from "./facts-sql.js";

export type { SimulationReport } from "../domain/playbooks/index.js";

export interface SimulateStoredOptions {
  playbooks: Playbooks;
  /** YYYY-MM-DD: the month starts from `from` to `to` are replayed. */
  from: string;
  to: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A 400 naming `from` or `to` unless both are dates, in order, with a month start between them. */
export function checkSimulationRange(from: string, to: string): void {
  const details: { field: string; message: string }[] = [];
  if (!isDate(from)) details.push({ field: "from", message: "must be a date (YYYY-MM-DD)" });
  if (!isDate(to)) details.push({ field: "to", message: "must be a date (YYYY-MM-DD)" });
  if (details.length === 0 && from > to)
    details.push({ field: "to", message: `must be on or after from (${from})` });
  if (details.length === 0 && monthSteps(from, to).length === 0)
    details.push({
      field: "to",
      message: `the history is monthly: from ${from} to ${to} holds no first of a month`,
    });
  if (details.length > 0)
    throw new AppError("validation_failed", "the simulation's dates are not valid", { details });
}

function usesRenewal(triggers: readonly Trigger[]): boolean {
  return triggers.some(
    (t) => "renewal" in t || ("all" in t && usesRenewal(t.all)) || ("any" in t && usesRenewal(t.any)),
  );
}

type HistoryRow = Omit<HistoryPoint, "band" | "metrics" | "renewal_date"> & {
  band: string | null;
  metrics: Record<string, number | string | null> | null;
  days_to_renewal: number | null;
};

/** The monthly history from `since` to `to`: only what the playbooks read. */
async function readHistory(
  q: Queryable,
  since: string,
  to: string,
  metrics: readonly string[],
  renewal: boolean,
): Promise<HistoryPoint[]> {
  const rows = await q.query<HistoryRow>(
    `SELECT h.account, to_char(h.month, 'YYYY-MM-DD') AS month, h.score::float8 AS score, h.band,
            h.churn_probability::float8 AS churn_probability,
            CASE WHEN json_array_length(h.signals) = 0 THEN '{}'::text[]
                 ELSE ARRAY(SELECT s->>'name' FROM json_array_elements(h.signals) s) END AS signals,
            CASE WHEN cardinality($3::text[]) = 0 THEN NULL
                 ELSE (SELECT jsonb_object_agg(k, h.metrics->k) FROM unnest($3::text[]) k) END AS metrics,
            CASE WHEN $4::boolean THEN (h.metrics->>'days_to_renewal')::float8 END AS days_to_renewal
     FROM score_history h
     WHERE h.month >= $1::date AND h.month <= $2::date`,
    [since, to, metrics, renewal],
  );
  return rows.map((r) => {
    const t = Date.parse(`${r.month}T00:00:00Z`);
    const point: HistoryPoint = {
      account: r.account,
      month: r.month,
      score: r.score,
      band: r.band as Band | null,
      churn_probability: r.churn_probability,
      signals: r.signals ?? [],
      metrics: Object.fromEntries(
        Object.entries(r.metrics ?? {}).map(([k, v]) => [k, v === null ? null : Number(v)]),
      ),
    };
    // The renewal as of that month, from its days-to-renewal metric (the account's is only today's).
    if (renewal && r.days_to_renewal !== null)
      point.renewal_date = new Date(t + Math.round(r.days_to_renewal) * DAY_MS).toISOString().slice(0, 10);
    return point;
  });
}

type AccountRow = Omit<SimulatedAccount, "arr"> & { arr: string | number | null };

async function readAccounts(q: Queryable): Promise<SimulatedAccount[]> {
  const rows = await q.query<AccountRow>(
    // Each owner named once resolved to its user (a handful of owners for thousands of accounts).
    `WITH owners AS (SELECT DISTINCT owner FROM accounts WHERE owner IS NOT NULL),
     resolved AS (SELECT o.owner, ${ownerUserIdSql("o.owner")} AS user_id FROM owners o)
     SELECT a.id, a.name, a.segment, a.plan, a.arr, to_char(a.renewal_date, 'YYYY-MM-DD') AS renewal_date,
            r.user_id AS owner_user,
            to_char(a.churned_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS churned_at
     FROM accounts a LEFT JOIN resolved r ON r.owner = a.owner`,
  );
  return rows.map((r) => ({ ...r, arr: r.arr === null ? null : Number(r.arr) }));
}

async function flagThreshold(q: Queryable): Promise<number | null> {
  const [row] = await q.query<{ threshold: number | null }>(
    "SELECT (model->'flag'->>'threshold')::float8 AS threshold FROM models ORDER BY version DESC LIMIT 1",
  );
  return row?.threshold ?? null;
}

/**
 * Replays `playbooks` over the stored monthly score history from `from` to
 * `to`, point in time, writing nothing: reads the history (only the metrics
 * the playbooks use), the accounts, the team, the scorecard's bands and the
 * newest model's flag threshold in a few statements, then runs the pure
 * simulator (domain/playbooks/simulate.ts). Owners, segments, plans and ARR
 * are the accounts' current ones; renewals are point in time when the
 * history holds days_to_renewal.
 */
export async function simulateStored(db: Queryable, opts: SimulateStoredOptions): Promise<SimulationReport> {
  const began = performance.now();
  checkSimulationRange(opts.from, opts.to);
  const triggers = opts.playbooks.playbooks.map((p) => p.trigger);
  const since = new Date(Date.parse(`${opts.from}T00:00:00Z`) - lookBackDays(triggers) * DAY_MS)
    .toISOString()
    .slice(0, 10);
  const [history, accounts, members, scorecard, threshold] = await Promise.all([
    readHistory(db, since, opts.to, metricsUsed(triggers), usesRenewal(triggers)),
    readAccounts(db),
    loadTeam(db),
    activeScorecard(db),
    flagThreshold(db),
  ]);
  if (!history.some((h) => h.month >= opts.from))
    throw new AppError("validation_failed", `no score history from ${opts.from} to ${opts.to}`, {
      details: [
        {
          field: "from",
          message: `no monthly score history from ${opts.from} to ${opts.to}: backfill it first (keepwell score --backfill --from ${opts.from})`,
        },
      ],
    });
  const report = simulatePlaybooks({
    playbooks: opts.playbooks,
    team: new Team(members),
    bands: scorecard.scorecard.bands,
    history,
    accounts,
    from: opts.from,
    to: opts.to,
    flagThreshold: threshold,
  });
  return { ...report, seconds: Math.round((performance.now() - began) / 10) / 100 };
}
