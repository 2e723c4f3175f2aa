import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";
import { audit } from "./audit.js";
import { hashPassword, passwordProblem } from "./passwords.js";
import type { Actor, User } from "./principal.js";
import { isRole, type Role } from "./roles.js";
import { newId } from "./tokens.js";

export const USER_COLUMNS =
  "u.id, u.email, u.name, u.role, u.manager_id, u.active, u.time_zone, u.created_at, u.last_seen_at";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export async function findUserByEmail(
  q: Queryable,
  email: string,
): Promise<(User & { password_hash: string | null }) | undefined> {
  const [u] = await q.query<User & { password_hash: string | null }>(
    `SELECT ${USER_COLUMNS}, u.password_hash FROM users u WHERE lower(u.email) = lower($1)`,
    [email.trim()],
  );
  return u;
}

export async function getUser(q: Queryable, id: string): Promise<User> {
  const [u] = await q.query<User>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
  if (!u) throw new AppError("not_found", "no such user");
  return u;
}

export async function listUsers(q: Queryable): Promise<User[]> {
  return q.query<User>(`SELECT ${USER_COLUMNS} FROM users u ORDER BY lower(u.name), u.id`);
}

export async function countUsers(q: Queryable): Promise<number> {
  const [r] = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM users");
  return r?.n ?? 0;
}

/** A manager named by id or email: must be an existing user other than `self`. */
async function managerId(
  q: Queryable,
  manager: string | null | undefined,
  self?: string,
): Promise<string | null> {
  if (manager === undefined || manager === null || manager === "") return null;
  const [m] = await q.query<{ id: string }>(
    "SELECT id FROM users WHERE id = $1 OR lower(email) = lower($1)",
    [manager],
  );
  if (!m) throw invalid("manager", `no user ${JSON.stringify(manager.slice(0, 80))}`);
  if (m.id === self) throw invalid("manager", "a user cannot be their own manager");
  if (self) {
    // No cycles: the new manager must not report, directly or not, to this user.
    const [loop] = await q.query<{ found: boolean }>(
      `WITH RECURSIVE chain(id) AS (SELECT $1::text UNION SELECT u.manager_id FROM users u JOIN chain c ON u.id = c.id WHERE u.manager_id IS NOT NULL)
       SELECT EXISTS (SELECT 1 FROM chain WHERE id = $2) AS found`,
      [m.id, self],
    );
    if (loop?.found) throw invalid("manager", "would make a reporting loop");
  }
  return m.id;
}

export interface NewUser {
  email: string;
  name: string;
  role: Role | string;
  manager?: string | null;
  time_zone?: string;
  password?: string;
}

export async function createUser(q: Queryable, input: NewUser, actor: Actor): Promise<User> {
  const email = input.email?.trim() ?? "";
  if (!EMAIL.test(email) || email.length > 320) throw invalid("email", "must be an email address");
  const name = input.name?.trim() ?? "";
  if (!name || name.length > 200) throw invalid("name", "is required (at most 200 characters)");
  if (!isRole(input.role)) throw invalid("role", "must be one of admin, executive, leader, csm, viewer");
  const tz = input.time_zone ?? "UTC";
  if (!validTimeZone(tz)) throw invalid("time_zone", "must be an IANA time zone (e.g. Europe/Paris)");
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) throw invalid("password", problem);
  }
  if (await findUserByEmail(q, email))
    throw new AppError("conflict", "a user with this email exists already");
  const id = newId("usr");
  const hash = input.password === undefined ? null : await hashPassword(input.password);
  await q.query(
    `INSERT INTO users (id, email, name, role, manager_id, time_zone, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [id, email, name, input.role, await managerId(q, input.manager), tz, hash],
  );
  const user = await getUser(q, id);
  await audit(q, actor, "user.created", { subjectType: "user", subjectId: id, after: user });
  return user;
}

export interface UserPatch {
  name?: string;
  role?: string;
  manager?: string | null;
  active?: boolean;
  time_zone?: string;
}

/** Changes a user; deactivating one ends their sessions at once. */
export async function updateUser(q: Queryable, id: string, patch: UserPatch, actor: Actor): Promise<User> {
  const before = await getUser(q, id);
  const next = { ...before };
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (!name || name.length > 200) throw invalid("name", "is required (at most 200 characters)");
    next.name = name;
  }
  if (patch.role !== undefined) {
    if (!isRole(patch.role)) throw invalid("role", "must be one of admin, executive, leader, csm, viewer");
    next.role = patch.role;
  }
  if (patch.manager !== undefined) next.manager_id = await managerId(q, patch.manager, id);
  if (patch.time_zone !== undefined) {
    if (!validTimeZone(patch.time_zone))
      throw invalid("time_zone", "must be an IANA time zone (e.g. Europe/Paris)");
    next.time_zone = patch.time_zone;
  }
  if (patch.active !== undefined) next.active = patch.active;
  if (before.role === "admin" && (next.role !== "admin" || !next.active)) {
    const [r] = await q.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active AND id <> $1",
      [id],
    );
    if (!r?.n) throw new AppError("conflict", "this is the last active admin: make another admin first");
  }
  await q.query(
    `UPDATE users SET name = $2, role = $3, manager_id = $4, time_zone = $5, active = $6, updated_at = now() WHERE id = $1`,
    [id, next.name, next.role, next.manager_id, next.time_zone, next.active],
  );
  if (!next.active) await q.query("DELETE FROM sessions WHERE user_id = $1", [id]);
  const after = await getUser(q, id);
  await audit(q, actor, before.active && !after.active ? "user.deactivated" : "user.updated", {
    subjectType: "user",
    subjectId: id,
    before,
    after,
  });
  return after;
}

/** Sets a user's password and ends every session they have (a reset signs out everywhere). */
export async function setPassword(q: Queryable, id: string, password: string, actor: Actor): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw invalid("password", problem);
  await q.query("UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1", [
    id,
    await hashPassword(password),
  ]);
  await q.query("DELETE FROM sessions WHERE user_id = $1", [id]);
  await audit(q, actor, "user.password_set", { subjectType: "user", subjectId: id });
}

/** The users who report to `id`, directly or not. */
export async function teamOf(q: Queryable, id: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `WITH RECURSIVE team(id) AS (SELECT id FROM users WHERE manager_id = $1
       UNION SELECT u.id FROM users u JOIN team t ON u.manager_id = t.id)
     SELECT id FROM team`,
    [id],
  );
  return rows.map((r) => r.id);
}
