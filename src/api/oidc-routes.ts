import type {} from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { OIDC_LOGIN_MINUTES, oidcSignIn } from "../auth/oidc.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import { setSessionCookies } from "./session-routes.js";

export interface OidcRouteOptions {
  db: Db;
  clock: () => Date;
  oidc: NonNullable<Config["oidc"]>;
  /** The address people reach Keepwell at: the callback is `${publicUrl}/auth/oidc/callback`. */
  publicUrl: () => string;
  /** Whether the public URL is https (cookies are Secure then, and on any request that came over HTTPS). */
  https: boolean;
}

const CALLBACK = "/auth/oidc/callback";
/** The state of the sign-in this browser started, for the callback to check it comes back to the same browser. */
const STATE_COOKIE = "kw_oidc_state";
/** Starts and callbacks allowed per address and minute (each start stores a row for 10 minutes). */
const PER_MINUTE = 60;

/** To the dashboard's sign-in page, which shows `message`. */
function toSignIn(reply: FastifyReply, message: string) {
  return reply.redirect(`/signin?error=${encodeURIComponent(message.slice(0, 300))}`, 302);
}

/** Single sign-on with OpenID Connect: registered only when KEEPWELL_OIDC_* is configured. */
export function oidcRoutes(app: FastifyInstance, opts: OidcRouteOptions): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const redirectUri = `${opts.publicUrl().replace(/\/+$/, "")}${CALLBACK}`;
  const sso = oidcSignIn({ ...opts.oidc, redirectUri });
  const secure = (req: FastifyRequest) => opts.https || req.protocol === "https";
  const rateLimit = {
    max: PER_MINUTE,
    timeWindow: "1 minute",
    keyGenerator: (req: FastifyRequest) => req.ip,
  };

  r.get(
    "/auth/oidc/login",
    {
      schema: {
        tags: ["session"],
        summary: "Sign in with single sign-on: redirects to the identity provider",
        querystring: z.object({ next: z.string().max(2000).optional() }),
      },
      config: { rateLimit },
      exposeHeadRoute: false,
    },
    async (req, reply) => {
      void reply.header("cache-control", "no-store");
      try {
        const { url, state } = await sso.beginLogin(opts.db, opts.clock(), req.query.next);
        void reply.setCookie(STATE_COOKIE, state, {
          httpOnly: true,
          sameSite: "lax",
          secure: secure(req),
          path: CALLBACK,
          maxAge: OIDC_LOGIN_MINUTES * 60,
        });
        return reply.redirect(url.href, 302);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        req.log.warn({ err, problem: err.message }, "single sign-on could not start");
        return toSignIn(reply, err.message);
      }
    },
  );

  r.get(
    CALLBACK,
    {
      schema: {
        tags: ["session"],
        summary: "Where the identity provider sends people back: signs in and redirects to the dashboard",
      },
      config: { rateLimit },
      exposeHeadRoute: false,
    },
    async (req, reply) => {
      void reply.header("cache-control", "no-store");
      // The URL as registered at the issuer (behind a proxy too), with the answer's parameters.
      const current = new URL(redirectUri);
      current.search = new URL(req.url, "http://callback.invalid").search;
      const startedState = req.cookies[STATE_COOKIE];
      void reply.clearCookie(STATE_COOKIE, { path: CALLBACK });
      const result = await sso.finishLogin(opts.db, current, opts.clock(), { ip: req.ip, startedState });
      if (!result.ok) {
        req.log.info(
          { reason: result.reason, ...(result.cause ? { err: result.cause } : {}) },
          "single sign-on refused",
        );
        return toSignIn(reply, result.message);
      }
      setSessionCookies(reply, secure(req), result.session);
      return reply.redirect(result.returnTo, 302);
    },
  );
}
