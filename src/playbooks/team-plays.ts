import { type Principal, teamOf } from "../auth/index.js";
import { DAY_MS } from "../domain/playbooks/index.js";
import type { Queryable } from "../store/index.js";
import { OUTCOMES, type Outcome } from "./plays.js";

export interface TeamPlaysPerson {
  user: { id: string; name: string; email: string; role: string; manager_id: string | null };
  /** Plays they own that are not closed (now). */
  open: number;
  /** …of which past due (now). */
  overdue: number;
  /** Plays they own closed within the window, and by outcome. */
  closed: number;
  closed_by_outcome: Record<Outcome, number>;
  /**
   * Of the plays opened within the window that ask for an acknowledgement
   * and whose time for it has come (acknowledged, or past due for it), the
   * share acknowledged in time; null when there are none.
   */
  acknowledged_on_time_share: number | null;
  /**
   * Of the plays opened within the window that are done (closed with an
   * outcome other than superseded) or past due, the share closed by their due
   * time; null when there are none.
   */
  done_on_time_share: number | null;
  /** Plays opened within the window, per week. */
  opened_per_week: number;
}

export interface TeamPlays {
  from: string;
  to: string;
  people: TeamPlaysPerson[];
  /** Plays not closed that nobody owns (now). */
  unassigned_open: number;
}

/**
 * Whose figures `who` sees: a leader their team (themselves and everyone who
 * reports to them, directly or not); an admin, an executive or a key
 * everyone (null); a CSM or a viewer themselves.
 */
export async function teamScope(q: Queryable, who: Principal): Promise<string[] | null> {
  if (who.kind === "key") return null;
  const u = who.user;
  if (u.role === "admin" || u.role === "executive") return null;
  if (u.role === "leader") return [u.id, ...(await teamOf(q, u.id))];
  return [u.id];
}

type Row = TeamPlaysPerson["user"] & {
  open: number;
  overdue: number;
  closed: number;
  outcomes: Record<string, number> | null;
  ack_n: number;
  ack_ok: number;
  done_n: number;
  done_ok: number;
  opened: number;
};

const share = (ok: number, n: number) => (n === 0 ? null : Math.round((ok / n) * 1000) / 1000);

/**
 * The team's plays per person over [from, to) (dates, `to` exclusive), in
 * one statement over the plays, grouped by owner: what each has open and
 * overdue now, what they closed in the window and how, and the SLA kept.
 * Shown: the people in scope who may own plays (active, not viewers), and
 * anyone in scope who still has plays; the caller themselves always.
 */
export async function teamPlays(
  q: Queryable,
  opts: { from: Date; to: Date; now: Date; users: string[] | null; self?: string | undefined },
): Promise<TeamPlays> {
  const rows = await q.query<Row>(
    `WITH w AS (SELECT $1::timestamptz AS lo, $2::timestamptz AS hi, $3::timestamptz AS now),
     agg AS (
       SELECT p.owner_user AS id,
         count(*) FILTER (WHERE p.state <> 'closed')::int AS open,
         count(*) FILTER (WHERE p.state <> 'closed' AND p.due_at < w.now)::int AS overdue,
         count(*) FILTER (WHERE p.state = 'closed' AND p.closed_at >= w.lo AND p.closed_at < w.hi)::int AS closed,
         count(*) FILTER (WHERE p.opened_at >= w.lo AND p.opened_at < w.hi)::int AS opened,
         count(*) FILTER (WHERE p.opened_at >= w.lo AND p.opened_at < w.hi AND p.ack_due_at IS NOT NULL
                            AND (p.acknowledged_at IS NOT NULL OR p.ack_due_at < w.now))::int AS ack_n,
         count(*) FILTER (WHERE p.opened_at >= w.lo AND p.opened_at < w.hi
                            AND p.acknowledged_at <= p.ack_due_at)::int AS ack_ok,
         count(*) FILTER (WHERE p.opened_at >= w.lo AND p.opened_at < w.hi
                            AND ((p.state = 'closed' AND p.outcome <> 'superseded')
                                 OR (p.state <> 'closed' AND p.due_at < w.now)))::int AS done_n,
         count(*) FILTER (WHERE p.opened_at >= w.lo AND p.opened_at < w.hi AND p.state = 'closed'
                            AND p.outcome <> 'superseded' AND p.closed_at <= p.due_at)::int AS done_ok
       FROM plays p, w
       WHERE p.owner_user IS NOT NULL AND (p.state <> 'closed' OR p.closed_at >= w.lo OR p.opened_at >= w.lo)
       GROUP BY p.owner_user
     ),
     outcomes AS (
       SELECT id, json_object_agg(outcome, n) AS outcomes FROM (
         SELECT p.owner_user AS id, p.outcome, count(*)::int AS n FROM plays p, w
         WHERE p.state = 'closed' AND p.owner_user IS NOT NULL AND p.closed_at >= w.lo AND p.closed_at < w.hi
         GROUP BY p.owner_user, p.outcome) x
       GROUP BY id
     )
     SELECT u.id, u.name, u.email, u.role, u.manager_id,
            coalesce(agg.open, 0) AS open, coalesce(agg.overdue, 0) AS overdue, coalesce(agg.closed, 0) AS closed,
            o.outcomes, coalesce(agg.ack_n, 0) AS ack_n, coalesce(agg.ack_ok, 0) AS ack_ok,
            coalesce(agg.done_n, 0) AS done_n, coalesce(agg.done_ok, 0) AS done_ok, coalesce(agg.opened, 0) AS opened
     FROM users u
     LEFT JOIN agg ON agg.id = u.id
     LEFT JOIN outcomes o ON o.id = u.id
     WHERE ($4::text[] IS NULL OR u.id = ANY($4::text[]))
       AND ((u.active AND u.role <> 'viewer') OR agg.id IS NOT NULL OR u.id = $5)
     ORDER BY lower(u.name), u.id`,
    [opts.from.toISOString(), opts.to.toISOString(), opts.now.toISOString(), opts.users, opts.self ?? null],
  );
  const [unassigned] = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM plays WHERE state <> 'closed' AND owner_user IS NULL",
  );
  const weeks = Math.max(DAY_MS, opts.to.getTime() - opts.from.getTime()) / (7 * DAY_MS);
  const zero = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
  return {
    from: opts.from.toISOString(),
    to: opts.to.toISOString(),
    people: rows.map((r) => ({
      user: { id: r.id, name: r.name, email: r.email, role: r.role, manager_id: r.manager_id },
      open: r.open,
      overdue: r.overdue,
      closed: r.closed,
      closed_by_outcome: { ...zero, ...(r.outcomes ?? {}) },
      acknowledged_on_time_share: share(r.ack_ok, r.ack_n),
      done_on_time_share: share(r.done_ok, r.done_n),
      opened_per_week: Math.round((r.opened / weeks) * 100) / 100,
    })),
    unassigned_open: unassigned?.n ?? 0,
  };
}
