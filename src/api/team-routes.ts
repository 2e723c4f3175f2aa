import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  actorOf,
  audit,
  createKey,
  createLink,
  createUser,
  getUser,
  listAudit,
  listKeys,
  listOwners,
  listUsers,
  mapOwner,
  revokeKey,
  updateUser,
} from "../auth/index.js";
import type { Db } from "../store/index.js";
import { principal } from "./guard.js";
import { queryInt } from "./params.js";

export interface TeamRouteOptions {
  db: Db;
  clock: () => Date;
  /** Where links point (the dashboard's address). */
  publicUrl: () => string;
}

const id = z.object({ id: z.string().max(100) });

/** Users, account owners, API keys and the audit log. */
export function teamRoutes(app: FastifyInstance, opts: TeamRouteOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = opts;
  const tags = ["team"];

  r.get("/api/v1/users", { schema: { tags, summary: "Every user" } }, async () => ({
    data: await listUsers(db),
  }));

  r.post(
    "/api/v1/users",
    {
      schema: {
        tags,
        summary: "Add a user; answers a one-time link for them to set their password (an invitation)",
        body: z.object({
          email: z.string().max(320),
          name: z.string().max(200),
          role: z.string().max(20),
          manager: z.string().max(320).nullish(),
          time_zone: z.string().max(100).optional(),
        }),
      },
    },
    async (req) =>
      db.transaction(async (tx) => {
        const user = await createUser(tx, req.body, actorOf(principal(req), req.ip));
        const token = await createLink(tx, "reset", user.id, clock());
        return { user, invite_link: `${opts.publicUrl()}/reset?token=${token}` };
      }),
  );

  r.patch(
    "/api/v1/users/:id",
    {
      schema: {
        tags,
        summary:
          "Change a user's name, role, manager, time zone, or deactivate them (ends their sessions at once)",
        params: id,
        body: z.object({
          name: z.string().max(200).optional(),
          role: z.string().max(20).optional(),
          manager: z.string().max(320).nullish(),
          active: z.boolean().optional(),
          time_zone: z.string().max(100).optional(),
        }),
      },
    },
    async (req) =>
      db.transaction((tx) => updateUser(tx, req.params.id, req.body, actorOf(principal(req), req.ip))),
  );

  r.post(
    "/api/v1/users/:id/reset-link",
    { schema: { tags, summary: "A one-time link for the user to set a new password", params: id } },
    async (req) =>
      db.transaction(async (tx) => {
        const user = await getUser(tx, req.params.id);
        const token = await createLink(tx, "reset", user.id, clock());
        await audit(tx, actorOf(principal(req), req.ip), "user.reset_link_created", {
          subjectType: "user",
          subjectId: user.id,
        });
        return { link: `${opts.publicUrl()}/reset?token=${token}` };
      }),
  );

  r.get(
    "/api/v1/owners",
    {
      schema: {
        tags,
        summary: "Every account owner named in the data, with the user it resolves to (unresolved first)",
      },
    },
    async () => ({ data: await listOwners(db) }),
  );

  r.put(
    "/api/v1/owners/:owner",
    {
      schema: {
        tags,
        summary: "Map an account owner to a user (user_id null removes the mapping)",
        params: z.object({ owner: z.string().max(200) }),
        body: z.object({ user_id: z.string().max(100).nullable() }),
      },
    },
    async (req) => {
      await db.transaction((tx) =>
        mapOwner(tx, req.params.owner, req.body.user_id, actorOf(principal(req), req.ip)),
      );
      return { data: await listOwners(db) };
    },
  );

  r.get(
    "/api/v1/api-keys",
    { schema: { tags, summary: "Every API key (never the key itself)" } },
    async () => ({
      data: await listKeys(db),
    }),
  );

  r.post(
    "/api/v1/api-keys",
    {
      schema: {
        tags,
        summary: "Create an API key: the key is in this answer and never again",
        body: z.object({
          name: z.string().max(200),
          scopes: z.array(z.string().max(20)).max(4),
          expires_at: z.string().max(40).nullish(),
        }),
      },
    },
    async (req) => {
      const { key, record } = await db.transaction((tx) =>
        createKey(tx, req.body, actorOf(principal(req), req.ip), clock()),
      );
      return { ...record, key };
    },
  );

  r.delete(
    "/api/v1/api-keys/:id",
    { schema: { tags, summary: "Revoke an API key (at once)", params: id } },
    async (req) => db.transaction((tx) => revokeKey(tx, req.params.id, actorOf(principal(req), req.ip))),
  );

  r.get(
    "/api/v1/audit",
    {
      schema: {
        tags,
        summary: "The audit log, newest first",
        querystring: z.object({
          action: z
            .string()
            .regex(/^[a-z_.]{1,60}$/, "an action such as user or user.created")
            .optional(),
          actor: z.string().max(320).optional(),
          subject_type: z.string().max(40).optional(),
          subject_id: z.string().max(200).optional(),
          limit: queryInt(1, 500).default(50),
          cursor: z
            .string()
            .regex(/^\d{1,18}$/, "pass the previous page's next_cursor")
            .optional(),
        }),
      },
    },
    async (req) =>
      listAudit(db, { ...req.query, before_id: req.query.cursor ? Number(req.query.cursor) : undefined }),
  );
}
