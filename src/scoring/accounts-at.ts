import type { Queryable } from "../store/index.js";

export interface ScoredAccount {
  id: string;
  segment: string | null;
  owner: string | null;
  arr: number | null;
}

/**
 * The accounts to score as of T: not churned by T, and already customers at T
 * (a subscription started before T, or no subscriptions recorded at all).
 */
export async function accountsAt(
  db: Queryable,
  asOf: string,
  only?: readonly string[],
): Promise<ScoredAccount[]> {
  return db.query<ScoredAccount & Record<string, unknown>>(
    `SELECT a.id, a.segment, a.owner, a.arr FROM accounts a
     WHERE (a.churned_at IS NULL OR a.churned_at > $1::timestamptz)
       AND ($2::text[] IS NULL OR a.id = ANY($2::text[]))
       AND (EXISTS (SELECT 1 FROM subscriptions s WHERE s.account = a.id AND s.started_at < $1::timestamptz)
            OR NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.account = a.id))
     ORDER BY a.id`,
    [asOf, only ? [...only] : null],
  );
}
