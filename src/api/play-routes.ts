import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, type Principal } from "../auth/index.js";
import { DAY_MS } from "../domain/playbooks/index.js";
import { AppError } from "../errors.js";
import {
  accountPlays,
  changePlay,
  changeScope,
  checkedInput,
  closeInput,
  getPlay,
  listPlays,
  noteInput,
  type PlayChange,
  reassignInput,
  requireChangePlay,
  STATE_FILTERS,
  scopeAllows,
  snoozeInput,
  teamPlays,
  teamScope,
} from "../playbooks/index.js";
import type { Db, Queryable } from "../store/index.js";
import { principal } from "./guard.js";
import { queryDate, queryInt } from "./params.js";
import {
  accountPlaysSchema,
  playPageSchema,
  playSchema,
  playWithEventsSchema,
  teamPlaysSchema,
} from "./play-schemas.js";

export interface PlayRouteOptions {
  db: Db;
  clock: () => Date;
}

const idParam = z.object({ id: z.string().min(1).max(200) });
const tags = ["plays"];

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

/** A body checked against `schema`, a missing body as an empty one (so each missing field is named). */
export const bodyOf = checkedInput;

/** `owner` of a listing: me (the signed-in user), unassigned, a user's id or email. */
async function ownerOf(db: Queryable, who: Principal, owner: string): Promise<string | null> {
  if (owner === "me") {
    if (who.kind !== "user")
      throw invalid("owner", "owner=me needs a signed-in user; an API key owns no plays");
    return who.user.id;
  }
  if (owner === "unassigned") return null;
  const [u] = await db.query<{ id: string }>(
    "SELECT id FROM users WHERE id = $1 OR lower(email) = lower($1)",
    [owner],
  );
  if (!u) throw invalid("owner", "no such user (pass me, unassigned, a user's id or email)");
  return u.id;
}

/** Plays, a play, its changes, an account's plays, and the team's figures. */
export function playRoutes(app: FastifyInstance, opts: PlayRouteOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = opts;

  r.get(
    "/api/v1/plays",
    {
      schema: {
        tags,
        summary: "Plays, sorted by due time (then id), a page at a time",
        querystring: z.object({
          owner: z
            .string()
            .max(320)
            .optional()
            .describe("me (the signed-in user), unassigned, or a user's id or email"),
          account: z.string().max(200).optional(),
          state: z
            .enum(STATE_FILTERS)
            .default("active")
            .describe("active (every play not closed; the default), a state, or all"),
          tier: queryInt(0, 1000).optional(),
          overdue: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional()
            .describe("true: only plays past due; false: only the others"),
          playbook: z.string().max(100).optional(),
          limit: queryInt(1, 500).default(100),
          cursor: z.string().max(1000).optional().describe("the next_cursor of the previous page"),
        }),
        response: { 200: playPageSchema },
      },
    },
    async (req) => {
      const who = principal(req);
      const { owner, ...query } = req.query;
      const ownerId = owner === undefined ? undefined : await ownerOf(db, who, owner);
      return listPlays(db, { ...query, owner: ownerId }, { now: clock(), scope: await changeScope(db, who) });
    },
  );

  r.get(
    "/api/v1/plays/:id",
    {
      schema: {
        tags,
        summary: "One play with its history (events, oldest first)",
        params: idParam,
        response: { 200: playWithEventsSchema },
      },
    },
    async (req) => getPlay(db, req.params.id, { now: clock(), scope: await changeScope(db, principal(req)) }),
  );

  /** A change, made by whoever asks, if they may (the owner, up their manager chain, an admin, a write key). */
  async function change(req: FastifyRequest, id: string, c: PlayChange) {
    const who = principal(req);
    const scope = await changeScope(db, who);
    const { play } = await changePlay(db, id, c, {
      actor: actorOf(who, req.ip),
      now: clock(),
      scope,
      authorize: async (tx, p, step) => {
        if (scopeAllows(scope, p.owner_user)) return;
        // A step's owner may tick their own step, whoever owns the play.
        if (step?.owner_user && who.kind === "user" && who.user.active && who.user.role !== "viewer")
          if (step.owner_user === who.user.id) return;
        await requireChangePlay(tx, who, p);
      },
    });
    return play;
  }

  const plain = (path: string, kind: "acknowledge" | "start" | "unsnooze", summary: string) =>
    r.post(
      `/api/v1/plays/:id/${path}`,
      {
        schema: {
          tags,
          summary,
          params: idParam,
          body: z.object({}).nullish(),
          response: { 200: playSchema },
        },
      },
      async (req) => change(req, req.params.id, { kind }),
    );
  plain(
    "acknowledge",
    "acknowledge",
    "Acknowledge a play (open → acknowledged); acknowledging it again changes nothing",
  );
  plain("start", "start", "Start work on a play (→ in_progress)");
  plain("unsnooze", "unsnooze", "End a play's snooze before its time (back to work)");

  r.post(
    "/api/v1/plays/:id/snooze",
    {
      schema: {
        tags,
        summary:
          "Snooze a play until a time in the future, saying why; it does not re-fire or escalate meanwhile",
        params: idParam,
        body: snoozeInput.nullish(),
        response: { 200: playSchema },
      },
    },
    async (req) => change(req, req.params.id, { kind: "snooze", ...bodyOf(snoozeInput, req.body) }),
  );

  r.post(
    "/api/v1/plays/:id/reassign",
    {
      schema: {
        tags,
        summary: "Give a play to another user (the previous owner stays on it as a collaborator); audited",
        params: idParam,
        body: reassignInput.nullish(),
        response: { 200: playSchema },
      },
    },
    async (req) => change(req, req.params.id, { kind: "reassign", ...bodyOf(reassignInput, req.body) }),
  );

  r.post(
    "/api/v1/plays/:id/notes",
    {
      schema: {
        tags,
        summary: "Add a note to a play",
        params: idParam,
        body: noteInput.nullish(),
        response: { 200: playSchema },
      },
    },
    async (req) => change(req, req.params.id, { kind: "note", ...bodyOf(noteInput, req.body) }),
  );

  r.post(
    "/api/v1/plays/:id/close",
    {
      schema: {
        tags,
        summary:
          "Close a play with its outcome (saved, expanded with its amount, downgraded, lost, not_needed); audited",
        params: idParam,
        body: closeInput.nullish(),
        response: { 200: playSchema },
      },
    },
    async (req) => change(req, req.params.id, { kind: "close", ...bodyOf(closeInput, req.body) }),
  );

  r.post(
    "/api/v1/plays/:id/steps/:step/done",
    {
      schema: {
        tags,
        summary: "Tick a play's step done (an open or acknowledged play moves to in_progress)",
        params: idParam.extend({ step: z.string().min(1).max(100) }),
        body: z.object({}).nullish(),
        response: { 200: playSchema },
      },
    },
    async (req) => change(req, req.params.id, { kind: "step_done", step: req.params.step }),
  );

  r.get(
    "/api/v1/accounts/:id/plays",
    {
      schema: {
        tags,
        summary: "An account's plays: those not closed (by due time), and its history (closed, newest first)",
        params: idParam,
        response: { 200: accountPlaysSchema },
      },
    },
    async (req) =>
      accountPlays(db, req.params.id, { now: clock(), scope: await changeScope(db, principal(req)) }),
  );

  r.get(
    "/api/v1/team/plays",
    {
      schema: {
        tags,
        summary:
          "Plays per person: open and overdue now; closed, by outcome, SLA kept and load per week within from..to (default the last 90 days). Leaders see their team, admins and executives everyone, others themselves",
        querystring: z.object({
          from: queryDate.optional().describe("YYYY-MM-DD (default 90 days before to)"),
          to: queryDate.optional().describe("YYYY-MM-DD, included (default today)"),
        }),
        response: { 200: teamPlaysSchema },
      },
    },
    async (req) => {
      const now = clock();
      const today = now.toISOString().slice(0, 10);
      const hi = new Date(Date.parse(`${req.query.to ?? today}T00:00:00Z`) + DAY_MS);
      const lo = req.query.from
        ? new Date(`${req.query.from}T00:00:00Z`)
        : new Date(hi.getTime() - 90 * DAY_MS);
      if (lo >= hi) throw invalid("from", "must be on or before to");
      const who = principal(req);
      return teamPlays(db, {
        from: lo,
        to: hi,
        now,
        users: await teamScope(db, who),
        self: who.kind === "user" ? who.user.id : undefined,
      });
    },
  );
}
