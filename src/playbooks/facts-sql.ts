import { ownerUserIdSql } from "../auth/index.js";
import type { Band } from "../domain/index.js";
import type { AccountFacts, TeamMember } from "../domain/playbooks/index.js";
import type { Queryable } from "../store/index.js";

export interface FactsQuery {
  now: Date;
  /** Only these accounts (all active accounts when absent). */
  accounts?: readonly string[] | undefined;
  /** How far back the history is read (days). */
  lookBackDays: number;
  /** Metric values read from the current scores. */
  metrics: readonly string[];
}

type FactsRow = Omit<AccountFacts, "signals" | "arr" | "history" | "signal_seen"> & {
  arr: string | number | null;
  signals: { name: string }[] | null;
  /** The account's active signals: kind and when its latest evidence dates from. */
  active_signals: { kind: string; seen: string | null }[] | null;
  history: { at: string; score: number | null }[] | null;
};

/**
 * Every active account's facts for the playbooks, in one statement: its
 * current score, band and churn probability (flagged at the newest model's
 * threshold), the user its owner resolves to, its monthly scores within the
 * look-back, and the metrics the playbooks read.
 */
export async function loadFacts(q: Queryable, fq: FactsQuery): Promise<AccountFacts[]> {
  const rows = await q.query<FactsRow>(
    `WITH flag AS (SELECT (model->'flag'->>'threshold')::float8 AS threshold FROM models ORDER BY version DESC LIMIT 1),
     hist AS (
       SELECT h.account, json_agg(json_build_object('at', to_char(h.month, 'YYYY-MM-DD'), 'score', h.score)) AS history
       FROM score_history h
       WHERE h.month >= ($1::timestamptz - make_interval(days => $2::int))::date AND h.month < $1::timestamptz
         AND ($3::text[] IS NULL OR h.account = ANY($3::text[]))
       GROUP BY h.account
     ),
     sig AS (
       SELECT account, json_agg(json_build_object('kind', kind, 'seen', seen)) AS active_signals
       FROM (SELECT account, kind, max(coalesce(last_evidence_at, last_seen)) AS seen FROM signals
             WHERE active AND ($3::text[] IS NULL OR account = ANY($3::text[])) GROUP BY account, kind) k
       GROUP BY account
     ),
     -- Each owner named once resolved to its user: a handful of owners for thousands of accounts.
     owners AS (
       SELECT o.owner, ${ownerUserIdSql("o.owner")} AS user_id
       FROM (SELECT DISTINCT owner FROM accounts WHERE owner IS NOT NULL) o
     )
     SELECT a.id AS account, a.name, a.segment, a.plan, a.arr, to_char(a.renewal_date, 'YYYY-MM-DD') AS renewal_date,
            ow.user_id AS owner_user,
            cs.score::numeric::float8 AS score, cs.band, cs.churn_probability::numeric::float8 AS churn_probability,
            coalesce(cs.churn_probability >= (SELECT threshold FROM flag), false) AS flagged,
            cs.signals,
            CASE WHEN cardinality($4::text[]) = 0 THEN '{}'::jsonb
                 ELSE (SELECT coalesce(jsonb_object_agg(k, cs.metrics->k), '{}'::jsonb) FROM unnest($4::text[]) k) END AS metrics,
            hist.history, sig.active_signals
     FROM accounts a
     JOIN current_scores cs ON cs.account = a.id
     LEFT JOIN hist ON hist.account = a.id
     LEFT JOIN owners ow ON ow.owner = a.owner
     LEFT JOIN sig ON sig.account = a.id
     WHERE a.status <> 'churned' AND ($3::text[] IS NULL OR a.id = ANY($3::text[]))
     ORDER BY a.id`,
    [fq.now.toISOString(), fq.lookBackDays, fq.accounts ?? null, fq.metrics],
  );
  return rows.map(({ active_signals, ...r }) => ({
    ...r,
    band: r.band as Band | null,
    arr: r.arr === null ? null : Number(r.arr),
    // The scorecard's critical signals by name, and the kinds of the active signals (src/signals).
    signals: [
      ...new Set([...(r.signals ?? []).map((s) => s.name), ...(active_signals ?? []).map((s) => s.kind)]),
    ],
    signal_seen: Object.fromEntries(
      (active_signals ?? [])
        .filter((s) => s.seen !== null)
        .map((s) => [s.kind, new Date(s.seen as string).toISOString()]),
    ),
    metrics: Object.fromEntries(
      Object.entries(r.metrics ?? {}).map(([k, v]) => [k, v === null ? null : Number(v)]),
    ),
    history: r.history ?? [],
  }));
}

export async function loadTeam(q: Queryable): Promise<TeamMember[]> {
  return q.query<TeamMember>("SELECT id, email, name, role, manager_id, active FROM users");
}
