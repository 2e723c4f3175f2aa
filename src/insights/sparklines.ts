import type { Queryable } from "../store/index.js";

export interface Sparklines {
  /** The monthly axis (first of month), oldest first, ending at the latest month with history. */
  months: string[];
  /** One score per month of the axis for each requested account (null where there is no snapshot). */
  data: { account: string; scores: (number | null)[] }[];
}

/** The `count` month starts ending at `latest` (YYYY-MM-DD), oldest first. */
export function monthAxis(latest: string, count: number): string[] {
  const end = new Date(`${latest.slice(0, 7)}-01T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(end);
    d.setUTCMonth(d.getUTCMonth() - (count - 1 - i));
    return d.toISOString().slice(0, 10);
  });
}

/**
 * The last `months` monthly scores of a page of accounts, in one query that
 * reads only those accounts' rows through score_history's primary key: the
 * axis ends at the latest history month, and every account gets a value (or
 * null) per month, so the table's sparklines line up.
 */
export async function sparklines(
  db: Queryable,
  accounts: readonly string[],
  months = 12,
): Promise<Sparklines> {
  const rows = await db.query<{
    latest: string | null;
    account: string | null;
    month: string | null;
    score: number | null;
  }>(
    `WITH latest AS (SELECT max(month) AS m FROM score_history)
     SELECT latest.m::text AS latest, h.account, h.month::text AS month, round(h.score::numeric, 1)::float8 AS score
     FROM latest LEFT JOIN score_history h
       ON h.account = ANY($1::text[]) AND h.month > latest.m - make_interval(months => $2::int)`,
    [accounts, months],
  );
  const latest = rows[0]?.latest;
  if (!latest) return { months: [], data: accounts.map((account) => ({ account, scores: [] })) };
  const axis = monthAxis(latest, months);
  const index = new Map(axis.map((m, i) => [m, i]));
  const byAccount = new Map<string, (number | null)[]>(accounts.map((a) => [a, axis.map(() => null)]));
  for (const r of rows) {
    const i = r.month === null ? undefined : index.get(r.month);
    const scores = r.account === null ? undefined : byAccount.get(r.account);
    if (i !== undefined && scores) scores[i] = r.score;
  }
  return { months: axis, data: accounts.map((account) => ({ account, scores: byAccount.get(account)! })) };
}
