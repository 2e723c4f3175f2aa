import type {} from "@fastify/cookie";
import type { FastifyInstance, FastifyRequest } from "fastify";
import {
  allows,
  keyPrincipal,
  matchesHash,
  PERMISSIONS,
  type Principal,
  sessionPrincipal,
} from "../auth/index.js";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import { accessOf, PUBLIC, type RouteAccess } from "./route-permissions.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is asking, once the guard has looked (undefined: nobody signed in). */
    principal?: Principal;
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** Every route registered, with what it needs (for the route-enumerating test and the docs). */
    guardedRoutes: { method: string; url: string; access: RouteAccess }[];
  }
}

export const SESSION_COOKIE = "kw_session";
/** The session's CSRF token, for the dashboard's scripts to send back in X-CSRF-Token. */
export const CSRF_COOKIE = "kw_csrf";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

export interface GuardOptions {
  db: Db;
  clock: () => Date;
  /** Whether a Host (or Origin) names this server. */
  hostAllowed: (hostname: string) => boolean;
}

function hostnameOf(host: string | undefined): string {
  if (!host) return "";
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1).toLowerCase();
  return host.split(":")[0]!.toLowerCase();
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const [kind, value] = h.split(" ");
  return kind?.toLowerCase() === "bearer" && value ? value.trim() : undefined;
}

async function principalOf(req: FastifyRequest, opts: GuardOptions): Promise<Principal | undefined> {
  const key = bearer(req);
  if (key) return keyPrincipal(opts.db, key, opts.clock());
  const token = req.cookies?.[SESSION_COOKIE];
  if (token) return sessionPrincipal(opts.db, token, opts.clock());
  return undefined;
}

function denied(who: Principal, access: RouteAccess): AppError {
  const what = `this needs the "${access}" permission`;
  if (who.kind === "key")
    return new AppError(
      "forbidden",
      `${what}, which this key's scopes (${who.key.scopes.join(", ")}) do not grant`,
    );
  const roles = (PERMISSIONS[access as keyof typeof PERMISSIONS]?.roles ?? []).join(", ");
  return new AppError("forbidden", `${what}, held by ${roles}; you are ${who.user.role}`);
}

/**
 * The guard, on every request before its body is read: the Host (and an
 * Origin, when sent) must name this server (no DNS rebinding); then the
 * route's entry in ROUTE_ACCESS decides. Public routes pass; others need a
 * session cookie or an API key holding the route's permission; a session's
 * state-changing request also needs its CSRF token in X-CSRF-Token.
 * A route missing from the table stops the server from starting.
 */
export function installGuard(app: FastifyInstance, opts: GuardOptions): void {
  const routes: FastifyInstance["guardedRoutes"] = [];
  app.decorate("guardedRoutes", routes);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const accesses = new Set(methods.map((m) => accessOf(m, route.url)));
    const [access] = accesses;
    if (accesses.size !== 1 || access === undefined)
      throw new Error(
        `route ${methods.join(",")} ${route.url} has no entry in ROUTE_ACCESS (src/api/route-permissions.ts)`,
      );
    route.config = { ...(route.config ?? {}), access };
    for (const method of methods) routes.push({ method, url: route.url, access });
  });

  app.addHook("onRequest", async (req) => {
    if (!opts.hostAllowed(hostnameOf(req.headers.host)))
      throw new AppError(
        "wrong_host",
        "this server does not answer for that host name (set KEEPWELL_PUBLIC_URL)",
      );
    const origin = req.headers.origin;
    if (origin && !SAFE.has(req.method)) {
      let ok = false;
      try {
        ok = opts.hostAllowed(new URL(origin).hostname.toLowerCase());
      } catch {
        ok = false;
      }
      if (!ok) throw new AppError("forbidden", "a request from another site was refused");
    }
    const access = req.routeOptions.config?.access;
    if (access === undefined) return; // not found: the 404 handler answers
    const who = await principalOf(req, opts);
    req.principal = who;
    if (access === PUBLIC) return;
    if (!who) throw new AppError("unauthorized", "sign in, or send an API key (Authorization: Bearer <key>)");
    if (!allows(who, access)) throw denied(who, access);
    if (who.kind === "user" && !SAFE.has(req.method)) {
      const token = req.headers["x-csrf-token"];
      if (typeof token !== "string" || !matchesHash(token, who.session.csrfHash))
        throw new AppError(
          "csrf_failed",
          "this change needs the session's CSRF token in X-CSRF-Token (reload the page)",
        );
    }
  });
}

/** The principal of a guarded route (the guard made sure there is one). */
export function principal(req: FastifyRequest): Principal {
  if (!req.principal) throw new AppError("unauthorized", "sign in first");
  return req.principal;
}
