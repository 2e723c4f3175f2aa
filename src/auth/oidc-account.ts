import type { Queryable } from "../store/index.js";
import { audit } from "./audit.js";
import type { Actor, User } from "./principal.js";
import type { Role } from "./roles.js";
import { createSession, type NewSession } from "./sessions.js";
import { createUser, findUserByEmail } from "./users.js";

/** What the identity provider says of the person: its ID token's claims, or its userinfo answer. */
export interface OidcProfile {
  sub: string;
  email?: unknown;
  email_verified?: unknown;
  name?: unknown;
}

/** Why a single sign-on was refused: a short reason for the audit log, and words for the person. */
export type OidcRefusal = { ok: false; reason: string; message: string; cause?: unknown };
export type OidcSignInResult = { ok: true; user: User; session: NewSession; created: boolean } | OidcRefusal;

export function refusal(reason: string, message: string, cause?: unknown): OidcRefusal {
  return { ok: false, reason, message, cause };
}

const SSO = "single sign-on";

function anonymous(email: string | undefined, ip: string | null): Actor {
  return { type: "anonymous", id: null, label: (email ?? SSO).slice(0, 320), ip };
}

/** Audits a refusal, as `session.sign_in_failed` with the reason (never a token or a secret). */
export async function auditRefusal(
  q: Queryable,
  r: OidcRefusal,
  who: { email?: string; userId?: string; ip: string | null },
): Promise<OidcRefusal> {
  await audit(q, anonymous(who.email, who.ip), "session.sign_in_failed", {
    subjectType: "user",
    subjectId: who.userId,
    after: { via: "oidc", reason: r.reason },
  });
  return r;
}

/** The email the provider vouches for: present and `email_verified` true; undefined otherwise. */
function verifiedEmail(p: OidcProfile): string | undefined {
  const email = typeof p.email === "string" ? p.email.trim() : "";
  const verified = p.email_verified === true || p.email_verified === "true";
  return email && verified ? email : undefined;
}

/**
 * Signs in the Keepwell user whose email (case aside) is the provider's
 * verified email, and only that: an inactive user is refused; an unknown
 * email becomes a new user with `defaultRole` when there is one (named by the
 * `name` claim, else the email), and is refused otherwise. Refusals are
 * audited and returned, not thrown, so their entries commit.
 */
export async function signInVerified(
  q: Queryable,
  profile: OidcProfile,
  defaultRole: Role | undefined,
  now: Date,
  ip: string | null,
): Promise<OidcSignInResult> {
  const claimed = typeof profile.email === "string" ? profile.email.trim() : undefined;
  if (!claimed)
    return auditRefusal(q, refusal("no_email", "your identity provider did not share your email address"), {
      ip,
    });
  const email = verifiedEmail(profile);
  const found = await findUserByEmail(q, claimed);
  if (!email)
    return auditRefusal(
      q,
      refusal("unverified_email", "your identity provider has not verified your email address"),
      { email: claimed, userId: found?.id, ip },
    );
  let user: User;
  let created = false;
  if (found) {
    if (!found.active)
      return auditRefusal(q, refusal("deactivated", "this user has been deactivated: ask an admin"), {
        email,
        userId: found.id,
        ip,
      });
    const { password_hash: _hash, ...rest } = found;
    user = rest;
  } else if (defaultRole) {
    const name = typeof profile.name === "string" && profile.name.trim() ? profile.name.trim() : email;
    user = await createUser(q, { email, name: name.slice(0, 200), role: defaultRole }, anonymous(SSO, ip));
    created = true;
  } else {
    return auditRefusal(
      q,
      refusal("unknown_user", "there is no Keepwell user with your email address: ask an admin to add you"),
      { email, ip },
    );
  }
  const session = await createSession(q, user.id, "oidc", now);
  await audit(q, { type: "user", id: user.id, label: user.email, ip }, "session.signed_in", {
    subjectType: "user",
    subjectId: user.id,
    after: { via: "oidc" },
  });
  return { ok: true, user, session, created };
}
