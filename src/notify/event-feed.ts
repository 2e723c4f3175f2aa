import { ownerUserIdSql } from "../auth/index.js";
import type { EventFacts } from "../domain/notify/index.js";
import type { Queryable } from "../store/index.js";

type FactRow = {
  id: string;
  type: string;
  at: string;
  account: string;
  play_id: string | null;
  subject: string;
  detail: Record<string, unknown>;
  account_name: string | null;
  account_segment: string | null;
  account_arr: string | number | null;
  band: string | null;
  score: number | null;
  trend: number | null;
  churn_probability: number | null;
  account_owner_user: string | null;
  play_name: string | null;
  play_tier: number | null;
  play_reason: string | null;
  play_owner: string | null;
  play_owner_name: string | null;
  play_collaborators: string[] | null;
  play_band: string | null;
  play_due_at: string | null;
  play_arm: "treated" | "holdout" | null;
};

/**
 * Events with what the router needs to know about them, in one query: the
 * account (name, segment, ARR, its owner as a user), its current score, band
 * and churn probability, the score's move over about 30 days (against the
 * newest monthly score at least 30 days older), and the play — its name,
 * tier, reason, owner, collaborators, the band it opened on, when it is due
 * and its arm.
 */
export async function eventFacts(q: Queryable, ids: readonly number[]): Promise<EventFacts[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<FactRow>(
    `SELECT e.id, e.type, e.at, e.account, e.play_id, e.subject, e.detail,
            a.name AS account_name, a.segment AS account_segment, a.arr AS account_arr,
            c.band, c.score, c.churn_probability,
            CASE WHEN c.score IS NULL OR h.score IS NULL THEN NULL ELSE round((c.score - h.score)::numeric, 1)::float8 END AS trend,
            ${ownerUserIdSql("a.owner")} AS account_owner_user,
            p.name AS play_name, p.tier AS play_tier, p.reason AS play_reason, p.owner_user AS play_owner,
            u.name AS play_owner_name, p.collaborators AS play_collaborators, p.baseline->>'band' AS play_band,
            p.due_at AS play_due_at, p.arm AS play_arm
     FROM notify_events e
     LEFT JOIN accounts a ON a.id = e.account
     LEFT JOIN current_scores c ON c.account = e.account
     LEFT JOIN LATERAL (
       SELECT sh.score FROM score_history sh
       WHERE sh.account = e.account AND sh.month <= (c.as_of - interval '30 days')::date AND sh.score IS NOT NULL
       ORDER BY sh.month DESC LIMIT 1) h ON true
     LEFT JOIN plays p ON p.id = e.play_id
     LEFT JOIN users u ON u.id = p.owner_user
     WHERE e.id = ANY($1::bigint[])
     ORDER BY e.id`,
    [ids.map(String)],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    type: r.type,
    at: new Date(r.at),
    account: r.account,
    play_id: r.play_id,
    subject: r.subject,
    detail: r.detail ?? {},
    account_name: r.account_name ?? r.account,
    account_segment: r.account_segment,
    account_arr: r.account_arr === null ? null : Number(r.account_arr),
    band: r.band,
    score: r.score,
    trend: r.trend,
    churn_probability: r.churn_probability,
    account_owner_user: r.account_owner_user,
    play:
      r.play_name === null
        ? null
        : {
            name: r.play_name,
            tier: r.play_tier ?? 0,
            reason: r.play_reason ?? "",
            owner_user: r.play_owner,
            owner_name: r.play_owner_name,
            collaborators: r.play_collaborators ?? [],
            band: r.play_band,
            due_at: new Date(r.play_due_at as string).toISOString(),
            arm: r.play_arm ?? "treated",
          },
  }));
}
