import type { Queryable } from "../store/index.js";

export interface BandTransition {
  from_month: string;
  to_month: string;
  /** A band, "unscored", or "new" (no snapshot the month before). */
  from: string;
  /** A band, "unscored", or "gone" (no snapshot the month after: churned or left). */
  to: string;
  accounts: number;
  arr: number;
}

export interface BandMovement {
  /** Months of history covered, oldest first. */
  months: string[];
  transitions: BandTransition[];
}

/**
 * How accounts moved between bands from each month's history snapshot to the
 * next, for the last `months` month-over-month steps, counted set-based from
 * score_history.
 */
export async function bandMovement(db: Queryable, months = 12): Promise<BandMovement> {
  const rows = await db.query<BandTransition & { months: string[] } & Record<string, unknown>>(
    `WITH axis AS (
       SELECT generate_series(m.latest - make_interval(months => $1::int), m.latest, interval '1 month')::date AS month
       FROM (SELECT max(month)::timestamp AS latest FROM score_history) m WHERE m.latest IS NOT NULL
     ),
     present AS (SELECT month FROM axis WHERE EXISTS (SELECT 1 FROM score_history h WHERE h.month = axis.month)),
     pairs AS (
       SELECT p.month AS m0, (p.month + interval '1 month')::date AS m1 FROM present p
       WHERE (p.month + interval '1 month')::date IN (SELECT month FROM present)
     ),
     moves AS (
       SELECT p.m0, p.m1, coalesce(h0.band, 'unscored') AS "from", coalesce(h1.band, CASE WHEN h1.account IS NULL THEN 'gone' ELSE 'unscored' END) AS "to", h0.account
       FROM pairs p JOIN score_history h0 ON h0.month = p.m0
       LEFT JOIN score_history h1 ON h1.account = h0.account AND h1.month = p.m1
       UNION ALL
       SELECT p.m0, p.m1, 'new', coalesce(h1.band, 'unscored'), h1.account
       FROM pairs p JOIN score_history h1 ON h1.month = p.m1
       WHERE NOT EXISTS (SELECT 1 FROM score_history h0 WHERE h0.account = h1.account AND h0.month = p.m0)
     )
     SELECT m.m0 AS from_month, m.m1 AS to_month, m."from", m."to", count(*)::int AS accounts,
            coalesce(sum(a.arr), 0)::float8 AS arr,
            (SELECT array_agg(month::text ORDER BY month) FROM present) AS months
     FROM moves m LEFT JOIN accounts a ON a.id = m.account
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    [months],
  );
  const axis =
    rows[0]?.months ??
    (await db.query<{ month: string }>("SELECT max(month) AS month FROM score_history")).flatMap((r) =>
      r.month ? [r.month] : [],
    );
  return { months: axis, transitions: rows.map(({ months: _m, ...t }) => t) };
}
