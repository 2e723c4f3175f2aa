import { z } from "zod";
import { type Actor, audit } from "../auth/index.js";
import { DAY_MS } from "../domain/playbooks/index.js";
import { AppError } from "../errors.js";
import { textProblem } from "../ingest/index.js";
import { type Db, type Queryable, retryTransient } from "../store/index.js";
import type { ChangeScope } from "./play-access.js";
import { writePlayEvents } from "./play-events.js";
import { findPlay, noSuchPlay, OUTCOMES, type Play, type PlayState } from "./plays.js";

/** Text a store can keep (no NUL or other control characters but new lines and tabs, no lone surrogates). */
const text = (max: number, empty?: string) =>
  z
    .string()
    .trim()
    .min(empty ? 1 : 0, empty)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !textProblem(s), "must be plain text (no control characters)");

/** What people send to change a play (the API's bodies, the CLI's flags), checked at the edge. */
export const snoozeInput = z.object({
  until: z.iso.datetime({ offset: true, error: "must be an ISO date-time such as 2025-07-01T09:00:00Z" }),
  reason: text(500, "must say why"),
});
export const reassignInput = z.object({
  user_id: text(100, "must name a user"),
  note: text(2000).nullish(),
});
export const noteInput = z.object({ text: text(5000, "must not be empty") });
export const closeInput = z.object({
  outcome: z.enum(OUTCOMES, {
    error: `must be one of ${OUTCOMES.filter((o) => o !== "superseded").join(", ")}`,
  }),
  note: text(5000).nullish(),
  amount: z.number().positive("must be more than 0").max(1e12, "must be at most 1e12").nullish(),
});

/** `value` checked against `schema`; a 400 naming each field at fault otherwise (nothing sent counts as {}). */
export function checkedInput<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
  throw new AppError("validation_failed", `invalid ${details.map((d) => d.field || "input").join(", ")}`, {
    details,
  });
}

export type PlayChange =
  | { kind: "acknowledge" }
  | { kind: "start" }
  | ({ kind: "snooze" } & z.infer<typeof snoozeInput>)
  | { kind: "unsnooze" }
  | ({ kind: "reassign" } & z.infer<typeof reassignInput>)
  | ({ kind: "note" } & z.infer<typeof noteInput>)
  | ({ kind: "close" } & z.infer<typeof closeInput>)
  | { kind: "step_done"; step: string };

/** The play as a change sees it, locked for the change's transaction. */
export type LockedPlay = {
  id: string;
  state: PlayState;
  owner_user: string | null;
  acknowledged_at: string | null;
  snoozed_until: string | null;
  outcome: string | null;
  closed_at: string | null;
};

export type LockedStep = {
  key: string;
  title: string;
  owner_user: string | null;
  done_at: string | null;
};

export interface ChangeOptions {
  actor: Actor;
  now: Date;
  /** For the answer's `can_change`. */
  scope: ChangeScope;
  /** Run on the locked play (and, for a step, the step) before anything changes; throws to refuse. */
  authorize?: (tx: Queryable, play: LockedPlay, step?: LockedStep) => Promise<void>;
}

/** How far ahead a play may be snoozed. */
const MAX_SNOOZE_MS = 366 * DAY_MS;

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

/** Checks what the input alone cannot show (against the clock, the outcome's rules). */
function check(change: PlayChange, now: Date): void {
  if (change.kind === "snooze") {
    const until = Date.parse(change.until);
    if (until <= now.getTime())
      throw invalid("until", `must be in the future (it is now ${now.toISOString()})`);
    if (until > now.getTime() + MAX_SNOOZE_MS) throw invalid("until", "must be within a year");
  }
  if (change.kind === "close") {
    if (change.outcome === "superseded")
      throw invalid("outcome", "superseded is set by Keepwell when a higher tier's play replaces this one");
    if (change.outcome === "expanded" && !change.amount)
      throw invalid("amount", "an expansion needs its amount (more than 0)");
  }
}

/** What a closed play can no longer do, in words. */
const REFUSED: Record<PlayChange["kind"], string> = {
  acknowledge: "it cannot be acknowledged any more",
  start: "it cannot be started any more",
  snooze: "it cannot be snoozed any more",
  unsnooze: "it is not snoozed",
  reassign: "it cannot be reassigned any more",
  note: "",
  close: "it is already closed: an outcome, once given, stands",
  step_done: "its steps cannot be ticked any more",
};

function closedConflict(play: LockedPlay, kind: PlayChange["kind"]): AppError {
  return new AppError(
    "conflict",
    `the play is closed (${play.outcome}, at ${play.closed_at}); ${REFUSED[kind]}`,
  );
}

type Applied = { kind: string; detail: Record<string, unknown>; audit?: { before: unknown; after: unknown } };

/** Makes the change on the locked play; undefined when there was nothing to change (said again). */
async function apply(
  tx: Queryable,
  play: LockedPlay,
  step: LockedStep | undefined,
  change: PlayChange,
  opts: ChangeOptions,
): Promise<Applied | undefined> {
  const at = opts.now.toISOString();
  const by = opts.actor.label;
  const set = (sql: string, params: unknown[] = []) =>
    tx.query(`UPDATE plays SET ${sql} WHERE id = $1`, [play.id, at, ...params]);
  const ack = "acknowledged_at = coalesce(acknowledged_at, $2)";
  if (play.state === "closed" && change.kind !== "note") throw closedConflict(play, change.kind);
  switch (change.kind) {
    case "acknowledge":
      if (play.state !== "open") return undefined;
      await set(`state = 'acknowledged', ${ack}`);
      return { kind: "acknowledged", detail: {} };
    case "start":
      if (play.state === "in_progress") return undefined;
      if (play.state === "snoozed")
        throw new AppError(
          "conflict",
          `the play is snoozed until ${play.snoozed_until}; unsnooze it to start it again`,
        );
      await set(`state = 'in_progress', ${ack}`);
      return { kind: "started", detail: { from: play.state } };
    case "snooze":
      await set(`state = 'snoozed', ${ack}, snoozed_until = $3, snooze_reason = $4`, [
        change.until,
        change.reason,
      ]);
      return {
        kind: "snoozed",
        detail: { until: new Date(change.until).toISOString(), reason: change.reason },
      };
    case "unsnooze":
      if (play.state !== "snoozed") return undefined;
      // As when the snooze ends by itself (escalate.ts): back to work, and escalation catches up.
      await set(
        `state = CASE WHEN acknowledged_at IS NULL THEN 'open' ELSE 'in_progress' END,
         snoozed_until = NULL, snooze_reason = NULL, next_escalation_at = $2`,
      );
      return { kind: "unsnoozed", detail: { was_until: play.snoozed_until } };
    case "reassign": {
      if (change.user_id === play.owner_user) return undefined;
      const [user] = await tx.query<{ active: boolean; role: string }>(
        "SELECT active, role FROM users WHERE id = $1",
        [change.user_id],
      );
      if (!user) throw invalid("user_id", "no such user");
      if (!user.active) throw invalid("user_id", "this user is deactivated");
      if (user.role === "viewer")
        throw invalid("user_id", "a viewer cannot own a play (they change nothing)");
      // The old owner stays on as a collaborator; their steps go to the new owner.
      await tx.query(
        `UPDATE plays SET owner_user = $2, owner_via = 'reassigned',
                collaborators = (SELECT coalesce(array_agg(DISTINCT c), '{}') FROM unnest(collaborators || $3::text[]) c
                                 WHERE c IS DISTINCT FROM $2)
         WHERE id = $1`,
        [play.id, change.user_id, play.owner_user ? [play.owner_user] : []],
      );
      if (play.owner_user)
        await tx.query("UPDATE play_steps SET owner_user = $3 WHERE play_id = $1 AND owner_user = $2", [
          play.id,
          play.owner_user,
          change.user_id,
        ]);
      const detail = { from: play.owner_user, to: change.user_id, note: change.note ?? null };
      return {
        kind: "reassigned",
        detail,
        audit: { before: { owner_user: play.owner_user }, after: detail },
      };
    }
    case "note":
      await set(
        "notes = notes || jsonb_build_array(jsonb_build_object('at', $2::text, 'by', $3::text, 'text', $4::text))",
        [by, change.text],
      );
      return { kind: "note", detail: { text: change.text } };
    case "close": {
      await set(
        `state = 'closed', ${ack}, closed_at = $2, closed_by = $3, outcome = $4, outcome_note = $5,
         outcome_amount = $6, next_escalation_at = NULL`,
        [by, change.outcome, change.note || null, change.amount ?? null],
      );
      const outcome = { outcome: change.outcome, note: change.note || null, amount: change.amount ?? null };
      // Who closed it goes with the history line (the alert for the owner says so), the audit names the actor already.
      const detail = { ...outcome, closed_by_user: opts.actor.type === "user" ? opts.actor.id : null };
      return { kind: "closed", detail, audit: { before: { state: play.state }, after: outcome } };
    }
    case "step_done":
      if (!step || step.done_at) return undefined;
      await tx.query("UPDATE play_steps SET done_at = $3, done_by = $4 WHERE play_id = $1 AND key = $2", [
        play.id,
        step.key,
        at,
        by,
      ]);
      if (play.state === "open" || play.state === "acknowledged") await set(`state = 'in_progress', ${ack}`);
      return { kind: "step_done", detail: { step: step.key, title: step.title } };
  }
}

/**
 * Changes one play, in one transaction: locks it, checks the caller may
 * (`authorize`), refuses a change its state does not allow (409: a closed
 * play takes only notes), makes the change, writes its play_events row (and,
 * for reassign and close, an audit_log row), and answers the play as it is
 * now. Saying the same again (acknowledging an acknowledged play, ticking a
 * done step) changes nothing and writes nothing; closing twice is a 409.
 */
export async function changePlay(
  db: Db,
  id: string,
  change: PlayChange,
  opts: ChangeOptions,
): Promise<{ play: Play; changed: boolean }> {
  check(change, opts.now);
  return retryTransient(() =>
    db.transaction(async (tx) => {
      const [play] = await tx.query<LockedPlay>(
        `SELECT id, state, owner_user, acknowledged_at, snoozed_until, outcome, closed_at
         FROM plays WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!play) throw noSuchPlay(id);
      let step: LockedStep | undefined;
      if (change.kind === "step_done") {
        [step] = await tx.query<LockedStep>(
          "SELECT key, title, owner_user, done_at FROM play_steps WHERE play_id = $1 AND key = $2 FOR UPDATE",
          [id, change.step],
        );
        if (!step)
          throw new AppError(
            "not_found",
            `the play has no step ${JSON.stringify(change.step.slice(0, 100))}`,
            {
              details: [{ field: "step", message: "no such step on this play" }],
            },
          );
      }
      await opts.authorize?.(tx, play, step);
      const applied = await apply(tx, play, step, change, opts);
      if (applied) {
        await writePlayEvents(
          tx,
          [{ play_id: id, kind: applied.kind, detail: applied.detail }],
          opts.now,
          opts.actor.label,
        );
        if (applied.audit)
          await audit(tx, opts.actor, `play.${applied.kind}`, {
            subjectType: "play",
            subjectId: id,
            ...applied.audit,
          });
      }
      const now = await findPlay(tx, id, { now: opts.now, scope: opts.scope });
      if (!now) throw noSuchPlay(id);
      return { play: now, changed: applied !== undefined };
    }),
  );
}
