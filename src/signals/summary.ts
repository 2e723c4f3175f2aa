/**
 * The Signals page's numbers: per kind, the accounts with an active signal and
 * their ARR, now and 30 and 90 days before (from first_seen and cleared_at);
 * and the competitive landscape: the competitors named most, by which
 * accounts. Set-based: a few queries over all accounts at once.
 */
import type { Queryable } from "../store/index.js";
import { SIGNAL_KINDS, SIGNAL_LABELS, type SignalKind } from "./kinds.js";

const DAY_MS = 86_400_000;
/** How far back the landscape looks (a competitor named and cleared within it still counts). */
export const LANDSCAPE_DAYS = 180;
/** The accounts each competitor lists (the largest ARR first); the rest are counted. */
const LANDSCAPE_ACCOUNTS = 25;
const LANDSCAPE_COMPETITORS = 20;

export type KindSummary = {
  kind: SignalKind;
  label: string;
  /** Accounts with an active signal of this kind now, and their ARR (accounts.arr). */
  accounts: number;
  arr: number;
  /** Active signals of this kind (an account may have several: one per contact or competitor). */
  signals: number;
  /** Accounts with one active 30 and 90 days before now (and their current ARR). */
  accounts_30d_ago: number;
  accounts_90d_ago: number;
  arr_30d_ago: number;
  arr_90d_ago: number;
};

export type LandscapeAccount = {
  id: string;
  name: string;
  arr: number | null;
  active: boolean;
  last_seen: string;
};

export type Competitor = {
  competitor: string;
  accounts: number;
  arr: number;
  /** Of `accounts`, those whose mention is still active. */
  active_accounts: number;
  /** Records naming it within the window (text findings), else the signals' occurrences. */
  mentions: number;
  last_seen: string;
  top_accounts: LandscapeAccount[];
};

export type SignalSummary = {
  as_of: string;
  /** Accounts with any active signal, and their ARR. */
  total: { accounts: number; arr: number };
  kinds: KindSummary[];
  landscape: { since: string; competitors: Competitor[] };
};

type KindRow = { kind: string; days: number; accounts: number; arr: number; signals: number };

async function perKind(q: Queryable, now: Date): Promise<KindSummary[]> {
  const rows = await q.query<KindRow>(
    `WITH at AS (SELECT d AS days, $1::timestamptz - d * interval '1 day' AS t FROM unnest(ARRAY[0, 30, 90]) d),
     live AS (
       SELECT at.days, s.kind, s.account, count(*)::int AS signals
       FROM signals s CROSS JOIN at
       WHERE CASE WHEN at.days = 0 THEN s.active
         ELSE s.first_seen <= at.t AND (s.cleared_at IS NULL OR s.cleared_at > at.t) END
       GROUP BY at.days, s.kind, s.account)
     SELECT l.kind, l.days, count(*)::int AS accounts, coalesce(sum(a.arr), 0)::float8 AS arr,
       sum(l.signals)::int AS signals
     FROM live l JOIN accounts a ON a.id = l.account GROUP BY l.kind, l.days`,
    [now.toISOString()],
  );
  const at = new Map(rows.map((r) => [`${r.kind}|${r.days}`, r]));
  return SIGNAL_KINDS.map((kind) => {
    const cell = (days: number) => at.get(`${kind}|${days}`);
    return {
      kind,
      label: SIGNAL_LABELS[kind],
      accounts: cell(0)?.accounts ?? 0,
      arr: cell(0)?.arr ?? 0,
      signals: cell(0)?.signals ?? 0,
      accounts_30d_ago: cell(30)?.accounts ?? 0,
      accounts_90d_ago: cell(90)?.accounts ?? 0,
      arr_30d_ago: cell(30)?.arr ?? 0,
      arr_90d_ago: cell(90)?.arr ?? 0,
    };
  });
}

type NamedRow = {
  competitor: string;
  account: string;
  name: string;
  arr: number | null;
  active: boolean;
  last_seen: string;
  occurrences: number;
  mentions: number | null;
};

async function landscape(q: Queryable, now: Date): Promise<SignalSummary["landscape"]> {
  const since = new Date(now.getTime() - LANDSCAPE_DAYS * DAY_MS).toISOString();
  const rows = await q.query<NamedRow>(
    `WITH named AS (
       SELECT s.competitor, s.account, bool_or(s.active) AS active, max(s.last_seen) AS last_seen,
         sum(s.occurrences)::int AS occurrences
       FROM signals s
       WHERE s.kind = 'competitor_mention' AND s.competitor IS NOT NULL
         AND (s.active OR s.last_seen >= $1::timestamptz)
       GROUP BY s.competitor, s.account),
     mentions AS (
       SELECT f.competitor, count(DISTINCT f.entity || ':' || f.record_id)::int AS mentions
       FROM text_findings f
       WHERE f.kind = 'competitor_mention' AND f.competitor IS NOT NULL
         AND f.at >= $1::timestamptz AND f.at <= $2::timestamptz
       GROUP BY f.competitor)
     SELECT n.competitor, n.account, a.name, a.arr::float8 AS arr, n.active, n.last_seen, n.occurrences, m.mentions
     FROM named n JOIN accounts a ON a.id = n.account LEFT JOIN mentions m ON m.competitor = n.competitor
     ORDER BY n.competitor, a.arr DESC NULLS LAST, a.id`,
    [since, now.toISOString()],
  );
  const by = new Map<string, Competitor & { occurrences: number; recorded: number | null }>();
  for (const r of rows) {
    let c = by.get(r.competitor);
    if (!c) {
      c = {
        competitor: r.competitor,
        accounts: 0,
        arr: 0,
        active_accounts: 0,
        mentions: 0,
        last_seen: r.last_seen,
        top_accounts: [],
        occurrences: 0,
        recorded: r.mentions,
      };
      by.set(r.competitor, c);
    }
    c.accounts++;
    c.arr += r.arr ?? 0;
    if (r.active) c.active_accounts++;
    c.occurrences += r.occurrences;
    if (r.last_seen > c.last_seen) c.last_seen = r.last_seen;
    if (c.top_accounts.length < LANDSCAPE_ACCOUNTS)
      c.top_accounts.push({
        id: r.account,
        name: r.name,
        arr: r.arr,
        active: r.active,
        last_seen: r.last_seen,
      });
  }
  const competitors = [...by.values()]
    .map(({ occurrences, recorded, ...c }) => ({ ...c, mentions: recorded ?? occurrences }))
    .sort(
      (a, b) =>
        b.accounts - a.accounts ||
        b.mentions - a.mentions ||
        b.arr - a.arr ||
        a.competitor.localeCompare(b.competitor),
    )
    .slice(0, LANDSCAPE_COMPETITORS);
  return { since, competitors };
}

/** The Signals page's numbers as of `now`. */
export async function signalSummary(q: Queryable, opts: { now: Date }): Promise<SignalSummary> {
  const kinds = await perKind(q, opts.now);
  const land = await landscape(q, opts.now);
  const totals = await q.query<{ accounts: number; arr: number }>(
    `SELECT count(*)::int AS accounts, coalesce(sum(a.arr), 0)::float8 AS arr FROM accounts a
     WHERE EXISTS (SELECT 1 FROM signals s WHERE s.account = a.id AND s.active)`,
  );
  return {
    as_of: opts.now.toISOString(),
    total: totals[0] ?? { accounts: 0, arr: 0 },
    kinds,
    landscape: land,
  };
}
