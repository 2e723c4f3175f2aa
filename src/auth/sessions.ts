import type { Queryable } from "../store/index.js";
import type { Principal, User } from "./principal.js";
import { newToken, tokenHash } from "./tokens.js";
import { USER_COLUMNS } from "./users.js";

/** How long a session lasts from sign-in. */
export const SESSION_DAYS = 14;
/** Last-seen times are written at most this often (a read per request, a write per minute). */
const TOUCH_EVERY_MS = 60_000;

export interface NewSession {
  /** Goes in the HttpOnly cookie; only its hash is stored. */
  token: string;
  /** Sent back in X-CSRF-Token with every state-changing request. */
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  q: Queryable,
  userId: string,
  via: string,
  now: Date,
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await q.query(
    "INSERT INTO sessions (token_hash, user_id, csrf_hash, via, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
    [tokenHash(token), userId, tokenHash(csrfToken), via, now.toISOString(), expiresAt.toISOString()],
  );
  await q.query("UPDATE users SET last_seen_at = $2 WHERE id = $1", [userId, now.toISOString()]);
  return { token, csrfToken, expiresAt };
}

/** The person a session cookie stands for: an unexpired session of an active user; undefined otherwise. */
export async function sessionPrincipal(
  q: Queryable,
  token: string,
  now: Date,
): Promise<Principal | undefined> {
  const hash = tokenHash(token);
  const [row] = await q.query<User & { csrf_hash: string; seen: string }>(
    `SELECT ${USER_COLUMNS}, s.csrf_hash, s.last_seen_at AS seen FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active`,
    [hash, now.toISOString()],
  );
  if (!row) return undefined;
  const { csrf_hash, seen, ...user } = row;
  if (now.getTime() - Date.parse(seen) > TOUCH_EVERY_MS) {
    await q.query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1", [hash, now.toISOString()]);
    await q.query("UPDATE users SET last_seen_at = $2 WHERE id = $1", [user.id, now.toISOString()]);
  }
  return { kind: "user", user, session: { tokenHash: hash, csrfHash: csrf_hash } };
}

export async function endSession(q: Queryable, tokenHashValue: string): Promise<void> {
  await q.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHashValue]);
}
