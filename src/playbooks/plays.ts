import { AppError } from "../errors.js";
import { decodeCursor, encodeCursor } from "../facts/index.js";
import type { Queryable } from "../store/index.js";
import type { ChangeScope } from "./play-access.js";

export const PLAY_STATES = ["open", "acknowledged", "in_progress", "snoozed", "closed"] as const;
export type PlayState = (typeof PLAY_STATES)[number];
export const OUTCOMES = ["saved", "expanded", "downgraded", "lost", "not_needed", "superseded"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Person = { id: string; name: string; email: string };

/** A play as the API, the CLI and the dashboard show it. */
export type Play = {
  id: string;
  account: {
    id: string;
    name: string;
    band: string | null;
    score: number | null;
    segment: string | null;
    arr: number | null;
  };
  playbook: string;
  playbook_version: number;
  name: string;
  tier: number;
  reason: string;
  state: PlayState;
  owner: Person | null;
  owner_via: string;
  collaborators: Person[];
  opened_at: string;
  acknowledged_at: string | null;
  ack_due_at: string | null;
  due_at: string;
  /** Not closed, and past its due time. */
  overdue: boolean;
  /** How late, when overdue (milliseconds). */
  late_ms: number | null;
  closed_at: string | null;
  closed_by: string | null;
  outcome: Outcome | null;
  outcome_note: string | null;
  outcome_amount: number | null;
  superseded_by: string | null;
  condition_cleared_at: string | null;
  cleared_reason: string | null;
  occurrences: number;
  escalation_level: number;
  snoozed_until: string | null;
  snooze_reason: string | null;
  baseline: {
    score: number | null;
    band: string | null;
    churn_probability: number | null;
    arr: number | null;
    renewal_date: string | null;
  };
  arm: "treated" | "holdout";
  notes: { at: string; by: string; text: string }[];
  steps: {
    key: string;
    title: string;
    position: number;
    owner: Person | null;
    due_at: string;
    done_at: string | null;
    done_by: string | null;
  }[];
  /** Whether the caller may change it (see play-access.ts). */
  can_change: boolean;
};

export type PlayEvent = {
  at: string;
  kind: string;
  actor: string | null;
  detail: Record<string, unknown>;
};

/** Which plays a listing shows: `active` is every play not closed. */
export const STATE_FILTERS = ["active", ...PLAY_STATES, "all"] as const;
export type StateFilter = (typeof STATE_FILTERS)[number];

export interface PlayQuery {
  /** A user id, or null for the plays nobody owns. */
  owner?: string | null | undefined;
  account?: string | undefined;
  state?: StateFilter | undefined;
  tier?: number | undefined;
  overdue?: boolean | undefined;
  playbook?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** A timestamp inside JSON, as the top-level columns come back: ISO 8601 in UTC with milliseconds. */
const iso = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const person = (u: string) =>
  `CASE WHEN ${u}.id IS NULL THEN NULL ELSE json_build_object('id', ${u}.id, 'name', ${u}.name, 'email', ${u}.email) END`;

/**
 * The plays of `page` (a statement selecting play rows, in order) as Play
 * JSON, in one statement: joined to their account, its current score and
 * their owner, with steps and collaborators aggregated per play — no query
 * per play. `$1` is now, `$2` whether the caller may change every play, `$3`
 * the owners whose plays they may change.
 */
function playsSql(page: string, order: string): string {
  return `WITH page AS (${page}),
   steps AS (
     SELECT s.play_id, json_agg(json_build_object(
              'key', s.key, 'title', s.title, 'position', s.position, 'owner', ${person("su")},
              'due_at', ${iso("s.due_at")}, 'done_at', ${iso("s.done_at")}, 'done_by', s.done_by)
            ORDER BY s.position, s.key) AS steps
     FROM play_steps s JOIN page ON page.id = s.play_id LEFT JOIN users su ON su.id = s.owner_user
     GROUP BY s.play_id
   ),
   collab AS (
     SELECT page.id AS play_id, json_agg(${person("c")} ORDER BY c.name, c.id) AS collaborators
     FROM page JOIN users c ON c.id = ANY(page.collaborators)
     GROUP BY page.id
   )
   SELECT p.id,
          json_build_object('id', a.id, 'name', a.name, 'band', cs.band, 'score', cs.score,
                            'segment', a.segment, 'arr', a.arr) AS account,
          p.playbook, p.playbook_version, p.name, p.tier, p.reason, p.state, ${person("o")} AS owner, p.owner_via,
          coalesce(co.collaborators, '[]'::json) AS collaborators,
          p.opened_at, p.acknowledged_at, p.ack_due_at, p.due_at,
          (p.state <> 'closed' AND p.due_at < $1::timestamptz) AS overdue,
          CASE WHEN p.state <> 'closed' AND p.due_at < $1::timestamptz
               THEN floor(extract(epoch FROM $1::timestamptz - p.due_at) * 1000)::float8 END AS late_ms,
          p.closed_at, p.closed_by, p.outcome, p.outcome_note, p.outcome_amount, p.superseded_by,
          p.condition_cleared_at, p.cleared_reason, p.occurrences, p.escalation_level,
          p.snoozed_until, p.snooze_reason, p.baseline, p.arm, p.notes,
          coalesce(st.steps, '[]'::json) AS steps,
          coalesce($2::boolean OR p.owner_user = ANY($3::text[]), false) AS can_change,
          to_char(p.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS _due
   FROM page p
   JOIN accounts a ON a.id = p.account
   LEFT JOIN current_scores cs ON cs.account = p.account
   LEFT JOIN users o ON o.id = p.owner_user
   LEFT JOIN steps st ON st.play_id = p.id
   LEFT JOIN collab co ON co.play_id = p.id
   ORDER BY ${order}`;
}

type PlayRow = Play & { _due: string };

function strip({ _due, ...play }: PlayRow): Play {
  return play;
}

const NONE: ChangeScope = { all: false, owners: [] };

/** A cursor's due time: exactly what this listing gives out (microseconds, UTC). */
const CURSOR_DUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function badCursor(): AppError {
  return new AppError("validation_failed", "cursor is not one this server gave out for this listing", {
    details: [{ field: "cursor", message: "pass the next_cursor of the previous page" }],
  });
}

/**
 * Plays, sorted by due time (then id), a page at a time: one statement per
 * page, paged by (due_at, id) so a page never repeats or skips a play.
 */
export async function listPlays(
  q: Queryable,
  query: PlayQuery,
  opts: { now: Date; scope?: ChangeScope },
): Promise<{ plays: Play[]; next_cursor: string | null }> {
  const scope = opts.scope ?? NONE;
  const params: unknown[] = [opts.now.toISOString(), scope.all, scope.owners];
  const $ = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  if (query.owner === null) where.push("p.owner_user IS NULL");
  else if (query.owner !== undefined) where.push(`p.owner_user = ${$(query.owner)}`);
  if (query.account !== undefined) where.push(`p.account = ${$(query.account)}`);
  const state = query.state ?? "active";
  if (state === "active") where.push("p.state <> 'closed'");
  else if (state !== "all") where.push(`p.state = ${$(state)}`);
  if (query.tier !== undefined) where.push(`p.tier = ${$(query.tier)}`);
  if (query.playbook !== undefined) where.push(`p.playbook = ${$(query.playbook)}`);
  if (query.overdue !== undefined)
    where.push(`${query.overdue ? "" : "NOT "}(p.state <> 'closed' AND p.due_at < $1::timestamptz)`);
  if (query.cursor !== undefined) {
    const [due, id] = decodeCursor(query.cursor, "text");
    if (typeof due !== "string" || !CURSOR_DUE.test(due) || Number.isNaN(Date.parse(due))) throw badCursor();
    where.push(`(p.due_at, p.id) > (${$(due)}::timestamptz, ${$(id)})`);
  }
  const limit = query.limit ?? 100;
  const page = `SELECT p.* FROM plays p ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
                ORDER BY p.due_at, p.id LIMIT ${$(limit + 1)}`;
  const rows = await q.query<PlayRow>(playsSql(page, "p.due_at, p.id"), params);
  const more = rows.length > limit;
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    plays: shown.map(strip),
    next_cursor: more && last ? encodeCursor(last._due, last.id) : null,
  };
}

export function noSuchPlay(id: string): AppError {
  return new AppError("not_found", `no play with the id ${JSON.stringify(id.slice(0, 100))}`, {
    details: [{ field: "id", message: `no play ${JSON.stringify(id.slice(0, 100))}` }],
  });
}

/** One play (undefined when there is none). */
export async function findPlay(
  q: Queryable,
  id: string,
  opts: { now: Date; scope?: ChangeScope },
): Promise<Play | undefined> {
  const scope = opts.scope ?? NONE;
  const [row] = await q.query<PlayRow>(playsSql("SELECT * FROM plays WHERE id = $4", "p.id"), [
    opts.now.toISOString(),
    scope.all,
    scope.owners,
    id,
  ]);
  return row ? strip(row) : undefined;
}

/** One play with its history, oldest first; a 404 naming the id when there is none. */
export async function getPlay(
  q: Queryable,
  id: string,
  opts: { now: Date; scope?: ChangeScope },
): Promise<Play & { events: PlayEvent[] }> {
  const play = await findPlay(q, id, opts);
  if (!play) throw noSuchPlay(id);
  const events = await q.query<PlayEvent>(
    "SELECT at, kind, actor, detail FROM play_events WHERE play_id = $1 ORDER BY id",
    [id],
  );
  return { ...play, events };
}

/** How many plays of an account's history are shown. */
const HISTORY = 100;

/**
 * An account's plays: those not closed (by due time) and its history (the
 * closed ones, newest first); a 404 naming the account when there is none.
 */
export async function accountPlays(
  q: Queryable,
  account: string,
  opts: { now: Date; scope?: ChangeScope },
): Promise<{ open: Play[]; history: Play[] }> {
  const [found] = await q.query("SELECT 1 FROM accounts WHERE id = $1", [account]);
  if (!found)
    throw new AppError("not_found", `no account with the id ${JSON.stringify(account.slice(0, 100))}`, {
      details: [{ field: "id", message: "no such account" }],
    });
  const scope = opts.scope ?? NONE;
  const rows = await q.query<PlayRow>(
    playsSql(
      `(SELECT * FROM plays WHERE account = $4 AND state <> 'closed')
       UNION ALL
       (SELECT * FROM plays WHERE account = $4 AND state = 'closed' ORDER BY closed_at DESC, id LIMIT ${HISTORY})`,
      "p.state = 'closed', p.closed_at DESC, p.due_at, p.id",
    ),
    [opts.now.toISOString(), scope.all, scope.owners, account],
  );
  const plays = rows.map(strip);
  return {
    open: plays.filter((p) => p.state !== "closed"),
    history: plays.filter((p) => p.state === "closed"),
  };
}
