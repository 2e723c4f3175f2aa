import type { FastifyInstance } from "fastify";
import { createKey, createSession, createUser, type Role, type User } from "../../src/auth/index.js";
import type { Db } from "../../src/store/index.js";

const SYSTEM = { type: "system" as const, id: null, label: "tests" };

/** A user made straight in the store (what `keepwell users add` does). */
export async function addUser(
  db: Db,
  role: Role,
  over: { email?: string; name?: string; manager?: string; password?: string } = {},
): Promise<User> {
  const email = over.email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@team.example`;
  return db.transaction((tx) =>
    createUser(
      tx,
      { email, name: over.name ?? `${role} person`, role, manager: over.manager, password: over.password },
      SYSTEM,
    ),
  );
}

/** Headers of a signed-in browser: the session cookie and its CSRF token. */
export async function sessionHeaders(db: Db, user: User): Promise<Record<string, string>> {
  const s = await db.transaction((tx) => createSession(tx, user.id, "password", new Date()));
  return { cookie: `kw_session=${s.token}; kw_csrf=${s.csrfToken}`, "x-csrf-token": s.csrfToken };
}

export async function keyWith(db: Db, scopes: string[]): Promise<string> {
  const { key } = await db.transaction((tx) =>
    createKey(tx, { name: scopes.join("+"), scopes }, SYSTEM, new Date()),
  );
  return key;
}

/** A request to `url` with every path parameter filled in with something harmless. */
export function concrete(url: string): string {
  return url
    .replace(/:entity/, "not_an_entity")
    .replace(/:owner/, "Nobody")
    .replace(/:[a-z_]+/g, "does_not_exist")
    .replace(/\*$/, "x");
}

/** One request with no body (the guard decides before a body is read). */
export async function call(
  app: FastifyInstance,
  method: string,
  url: string,
  headers: Record<string, string> = {},
) {
  const res = await app.inject({ method: method as "GET", url: concrete(url), headers });
  return res.statusCode;
}
