import type {} from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  audit,
  consumeLink,
  countUsers,
  createSession,
  createUser,
  endSession,
  getUser,
  type NewSession,
  peekLink,
  setPassword,
  signInWithPassword,
  type User,
} from "../auth/index.js";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import { CSRF_COOKIE, principal, SESSION_COOKIE } from "./guard.js";

export interface SessionRouteOptions {
  db: Db;
  clock: () => Date;
  /** Whether cookies are marked Secure (served over HTTPS). */
  secureCookies: (req: FastifyRequest) => boolean;
  /** Sign-in attempts allowed per address in 15 minutes. */
  attemptsPerAddress?: number;
  /** Whether single sign-on is configured (the sign-in page offers it). */
  oidc: boolean;
}

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.string(),
  manager_id: z.string().nullable(),
  active: z.boolean(),
  time_zone: z.string(),
  created_at: z.string(),
  last_seen_at: z.string().nullable(),
});
const sessionSchema = z.object({ user: userSchema, csrf_token: z.string().optional() });

/**
 * A new session's cookies: the session in an HttpOnly cookie, and its CSRF
 * token in one the dashboard's own scripts can read (another site's cannot)
 * and send back in X-CSRF-Token.
 */
export function setSessionCookies(reply: FastifyReply, secure: boolean, s: NewSession): void {
  const cookie = { sameSite: "lax" as const, secure, path: "/", expires: s.expiresAt };
  void reply.setCookie(SESSION_COOKIE, s.token, { ...cookie, httpOnly: true });
  void reply.setCookie(CSRF_COOKIE, s.csrfToken, cookie);
}

/** What the dashboard gets back on sign-in: the user and the CSRF token (the session itself is the cookie). */
function started(
  reply: FastifyReply,
  req: FastifyRequest,
  opts: SessionRouteOptions,
  user: User,
  s: NewSession,
) {
  setSessionCookies(reply, opts.secureCookies(req), s);
  return { user, csrf_token: s.csrfToken };
}

export function sessionRoutes(app: FastifyInstance, opts: SessionRouteOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = opts;

  r.get(
    "/api/v1/auth/methods",
    {
      schema: {
        tags: ["session"],
        summary: "How people can sign in here (for the sign-in page)",
        response: {
          200: z.object({ password: z.boolean(), oidc: z.object({ login_url: z.string() }).nullable() }),
        },
      },
    },
    async () => ({ password: true, oidc: opts.oidc ? { login_url: "/auth/oidc/login" } : null }),
  );

  r.get(
    "/api/v1/session",
    { schema: { tags: ["session"], summary: "Who is signed in", response: { 200: sessionSchema } } },
    async (req) => {
      const who = principal(req);
      if (who.kind !== "user") throw new AppError("forbidden", "an API key has no session");
      return { user: who.user };
    },
  );

  r.post(
    "/api/v1/session",
    {
      schema: {
        tags: ["session"],
        summary: "Sign in with email and password (sets the session cookie; answers the CSRF token)",
        body: z.object({ email: z.string().max(320), password: z.string().max(1000) }),
        response: { 200: sessionSchema },
      },
      config: {
        rateLimit: {
          max: opts.attemptsPerAddress ?? 30,
          timeWindow: "15 minutes",
          keyGenerator: (req: FastifyRequest) => req.ip,
        },
      },
    },
    async (req, reply) => {
      const result = await db.transaction((tx) =>
        signInWithPassword(tx, { email: req.body.email, password: req.body.password, ip: req.ip }, clock()),
      );
      if (!result.ok) throw result.error;
      return started(reply, req, opts, result.user, result.session);
    },
  );

  r.delete(
    "/api/v1/session",
    { schema: { tags: ["session"], summary: "Sign out (ends the session at once)" } },
    async (req, reply) => {
      const who = principal(req);
      if (who.kind !== "user") throw new AppError("forbidden", "an API key has no session");
      await db.transaction(async (tx) => {
        await endSession(tx, who.session.tokenHash);
        await audit(
          tx,
          { type: "user", id: who.user.id, label: who.user.email, ip: req.ip },
          "session.signed_out",
          {
            subjectType: "user",
            subjectId: who.user.id,
          },
        );
      });
      void reply.clearCookie(SESSION_COOKIE, { path: "/" });
      void reply.clearCookie(CSRF_COOKIE, { path: "/" });
      return { signed_out: true };
    },
  );

  r.get(
    "/api/v1/setup",
    {
      schema: {
        tags: ["session"],
        summary: "Whether a first-run setup link is still good",
        querystring: z.object({ token: z.string().max(200) }),
      },
    },
    async (req) => {
      const link = await peekLink(db, req.query.token, "setup", clock());
      return { valid: !!link && (await countUsers(db)) === 0 };
    },
  );

  r.post(
    "/api/v1/setup",
    {
      schema: {
        tags: ["session"],
        summary: "Create the first admin with the one-time setup link `keepwell serve` printed",
        body: z.object({
          token: z.string().max(200),
          email: z.string().max(320),
          name: z.string().max(200),
          password: z.string().max(1000),
        }),
        response: { 200: sessionSchema },
      },
    },
    async (req, reply) => {
      const { user, session } = await db.transaction(async (tx) => {
        await consumeLink(tx, req.body.token, "setup", clock());
        if ((await countUsers(tx)) > 0)
          throw new AppError("conflict", "Keepwell has users already: sign in instead");
        const actor = { type: "anonymous" as const, id: null, label: "first-run setup", ip: req.ip };
        const u = await createUser(tx, { ...req.body, role: "admin" }, actor);
        return { user: u, session: await createSession(tx, u.id, "setup", clock()) };
      });
      return started(reply, req, opts, user, session);
    },
  );

  r.get(
    "/api/v1/password-reset",
    {
      schema: {
        tags: ["session"],
        summary: "Whether a password link is still good, and for whom",
        querystring: z.object({ token: z.string().max(200) }),
      },
    },
    async (req) => {
      const link = await peekLink(db, req.query.token, "reset", clock());
      if (!link?.user_id) return { valid: false };
      const user = await getUser(db, link.user_id);
      return { valid: user.active, email: user.email, name: user.name };
    },
  );

  r.post(
    "/api/v1/password-reset",
    {
      schema: {
        tags: ["session"],
        summary: "Set a password with a one-time link (reset or invitation); signs in",
        body: z.object({ token: z.string().max(200), password: z.string().max(1000) }),
        response: { 200: sessionSchema },
      },
    },
    async (req, reply) => {
      const { user, session } = await db.transaction(async (tx) => {
        const link = await consumeLink(tx, req.body.token, "reset", clock());
        const u = await getUser(tx, link.user_id!);
        if (!u.active) throw new AppError("forbidden", "this user has been deactivated");
        await setPassword(tx, u.id, req.body.password, {
          type: "user",
          id: u.id,
          label: u.email,
          ip: req.ip,
        });
        return { user: u, session: await createSession(tx, u.id, "reset", clock()) };
      });
      return started(reply, req, opts, user, session);
    },
  );
}
