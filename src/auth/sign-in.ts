import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";
import { audit } from "./audit.js";
import { verifyPassword } from "./passwords.js";
import type { User } from "./principal.js";
import { createSession, type NewSession } from "./sessions.js";
import { findUserByEmail } from "./users.js";

/** Failed attempts per email allowed in the window before it is locked for the rest of it. */
export const LOCKOUT = { failures: 5, minutes: 15 };

/** The same words whether the email exists or not, so a lockout never tells. */
const LOCKED = "too many sign-in attempts: try again in 15 minutes, or ask an admin for a reset link";

export type SignInResult = { ok: true; user: User; session: NewSession } | { ok: false; error: AppError };

/**
 * Email and password sign-in. Wrong email and wrong password fail alike (same
 * message, same scrypt cost); five failures for one email in 15 minutes lock
 * it, whether or not the email exists. Every attempt is recorded and audited:
 * a refusal is returned, not thrown, so those writes commit.
 */
export async function signInWithPassword(
  q: Queryable,
  input: { email: string; password: string; ip: string | null },
  now: Date,
): Promise<SignInResult> {
  const emailKey = input.email.trim().toLowerCase();
  const since = new Date(now.getTime() - LOCKOUT.minutes * 60_000).toISOString();
  const [recent] = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM sign_in_attempts WHERE email_key = $1 AND NOT ok AND at > $2",
    [emailKey, since],
  );
  if ((recent?.n ?? 0) >= LOCKOUT.failures)
    return { ok: false, error: new AppError("too_many_requests", LOCKED) };
  const found = await findUserByEmail(q, emailKey);
  const passwordOk = await verifyPassword(input.password, found?.password_hash);
  const ok = !!found && found.active && passwordOk;
  await q.query("INSERT INTO sign_in_attempts (email_key, ip, ok, at) VALUES ($1, $2, $3, $4)", [
    emailKey,
    input.ip,
    ok,
    now.toISOString(),
  ]);
  const actor = { type: "anonymous" as const, id: null, label: emailKey.slice(0, 320), ip: input.ip };
  if (!ok || !found) {
    await audit(q, actor, "session.sign_in_failed", { subjectType: "user", subjectId: found?.id });
    return { ok: false, error: new AppError("unauthorized", "the email or the password is wrong") };
  }
  const { password_hash: _hash, ...user } = found;
  const session = await createSession(q, user.id, "password", now);
  await audit(q, { type: "user", id: user.id, label: user.email, ip: input.ip }, "session.signed_in", {
    subjectType: "user",
    subjectId: user.id,
    after: { via: "password" },
  });
  return { ok: true, user, session };
}
