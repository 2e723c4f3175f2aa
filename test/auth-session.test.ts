import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { createLink, LOCKOUT, updateUser } from "../src/auth/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { addUser } from "./helpers/team.js";

const PASSWORD = "correct horse battery";

/** The cookies a response set, by name, with their attributes. */
function cookiesOf(res: LightMyRequestResponse): Record<string, { value: string; attrs: string }> {
  const set = res.headers["set-cookie"];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  return Object.fromEntries(
    list.map((c) => {
      const [pair = "", ...attrs] = c.split(";");
      const [name = "", value = ""] = pair.split("=");
      return [name.trim(), { value, attrs: attrs.join(";").toLowerCase() }];
    }),
  );
}

describe(`signing in (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await testDb();
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  async function signIn(email: string, password: string) {
    const res = await app.inject({ method: "POST", url: "/api/v1/session", payload: { email, password } });
    const c = cookiesOf(res);
    return {
      res,
      headers: c.kw_session
        ? { cookie: `kw_session=${c.kw_session.value}`, "x-csrf-token": c.kw_csrf?.value ?? "" }
        : {},
      cookies: c,
    };
  }

  it("signs in with a password into an HttpOnly, SameSite cookie; the password is stored only as scrypt", async () => {
    const user = await addUser(db, "csm", { email: "Dana@Example.com", password: PASSWORD });
    const { res, cookies, headers } = await signIn("dana@example.COM", PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: user.id, role: "csm" });
    expect(res.body).not.toMatch(/password|scrypt/);
    expect(cookies.kw_session?.attrs).toMatch(/httponly/);
    expect(cookies.kw_session?.attrs).toMatch(/samesite=lax/);
    expect(cookies.kw_session?.attrs).not.toMatch(/secure/);
    expect(cookies.kw_csrf?.attrs).not.toMatch(/httponly/);
    const me = await app.inject({ url: "/api/v1/session", headers });
    expect(me.json().user.email).toBe("Dana@Example.com");
    const [row] = await db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [
      user.id,
    ]);
    expect(row!.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row!.password_hash).not.toContain(PASSWORD);
    const [s] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sessions WHERE token_hash = $1",
      [cookies.kw_session!.value],
    );
    expect(s!.n).toBe(0); // the cookie's token is stored only as its hash
  });

  it("says the same for a wrong password and an unknown email, and locks an email after 5 failures either way", async () => {
    await addUser(db, "viewer", { email: "lock@example.com", password: PASSWORD });
    const wrong = await signIn("lock@example.com", "not the password");
    const unknown = await signIn("nobody@example.com", "not the password");
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.json().error.message).toBe(wrong.res.json().error.message);
    for (let i = 1; i < LOCKOUT.failures; i++) {
      await signIn("lock@example.com", "not the password");
      await signIn("nobody@example.com", "not the password");
    }
    const locked = await signIn("lock@example.com", PASSWORD);
    const lockedUnknown = await signIn("nobody@example.com", PASSWORD);
    expect(locked.res.statusCode).toBe(429);
    expect(lockedUnknown.res.statusCode).toBe(429);
    expect(locked.res.json().error.message).toBe(lockedUnknown.res.json().error.message);
    const failures = await db.query(
      "SELECT 1 FROM audit_log WHERE action = 'session.sign_in_failed' AND actor_label = 'lock@example.com'",
    );
    expect(failures.length).toBe(LOCKOUT.failures);
  });

  it("limits sign-in attempts per address", async () => {
    const many = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 32; i++) {
        const res = await many.inject({
          method: "POST",
          url: "/api/v1/session",
          payload: { email: `guess${i}@example.com`, password: "x" },
          remoteAddress: "203.0.113.9",
        });
        statuses.push(res.statusCode);
      }
      expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(30)).toEqual([429, 429]);
      const other = await many.inject({
        method: "POST",
        url: "/api/v1/session",
        payload: { email: "a@b.c", password: "x" },
        remoteAddress: "203.0.113.10",
      });
      expect(other.statusCode).toBe(401);
    } finally {
      await many.close();
    }
  });

  it("needs the CSRF token for a session's changes; signing out or deactivation ends the session at once", async () => {
    const admin = await addUser(db, "admin", { email: "admin@example.com", password: PASSWORD });
    const { headers } = await signIn("admin@example.com", PASSWORD);
    const noToken = await app.inject({
      method: "POST",
      url: "/api/v1/scoring/runs",
      headers: { cookie: headers.cookie! },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe("csrf_failed");
    const badToken = await app.inject({
      method: "POST",
      url: "/api/v1/scoring/runs",
      headers: { ...headers, "x-csrf-token": "nope" },
    });
    expect(badToken.statusCode).toBe(403);
    expect((await app.inject({ method: "POST", url: "/api/v1/scoring/runs", headers })).statusCode).toBe(200);
    const out = await app.inject({ method: "DELETE", url: "/api/v1/session", headers });
    expect(out.statusCode).toBe(200);
    expect((await app.inject({ url: "/api/v1/session", headers })).statusCode).toBe(401);

    const csm = await addUser(db, "csm", { email: "leaving@example.com", password: PASSWORD });
    const second = await signIn("leaving@example.com", PASSWORD);
    expect((await app.inject({ url: "/api/v1/accounts", headers: second.headers })).statusCode).toBe(200);
    await db.transaction((tx) =>
      updateUser(tx, csm.id, { active: false }, { type: "system", id: null, label: "t" }),
    );
    expect((await app.inject({ url: "/api/v1/accounts", headers: second.headers })).statusCode).toBe(401);
    expect((await signIn("leaving@example.com", PASSWORD)).res.statusCode).toBe(401);
    const actions = (
      await db.query<{ action: string }>(
        "SELECT action FROM audit_log WHERE actor_id = $1 OR subject_id = $1 ORDER BY id",
        [admin.id],
      )
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["session.signed_in", "scoring.run", "session.signed_out"]),
    );
  });

  it("takes a one-time reset link once, signs out everywhere, and refuses a used or expired one", async () => {
    const user = await addUser(db, "leader", { email: "reset@example.com", password: PASSWORD });
    const before = await signIn("reset@example.com", PASSWORD);
    const token = await createLink(db, "reset", user.id, new Date());
    expect((await app.inject({ url: `/api/v1/password-reset?token=${token}` })).json()).toMatchObject({
      valid: true,
      email: "reset@example.com",
    });
    const set = await app.inject({
      method: "POST",
      url: "/api/v1/password-reset",
      payload: { token, password: "a new long password" },
    });
    expect(set.statusCode).toBe(200);
    expect((await app.inject({ url: "/api/v1/session", headers: before.headers })).statusCode).toBe(401);
    const again = await app.inject({
      method: "POST",
      url: "/api/v1/password-reset",
      payload: { token, password: "another long one" },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toMatch(/used or has expired/);
    const old = await createLink(db, "reset", user.id, new Date(Date.now() - 100 * 3_600_000));
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/api/v1/password-reset",
          payload: { token: old, password: "another long one" },
        })
      ).statusCode,
    ).toBe(400);
    expect((await signIn("reset@example.com", "a new long password")).res.statusCode).toBe(200);
    const short = await app.inject({
      method: "POST",
      url: "/api/v1/password-reset",
      payload: { token: await createLink(db, "reset", user.id, new Date()), password: "short" },
    });
    expect(short.json().error.details[0]).toMatchObject({ field: "password" });
  });

  it("refuses another site's Host (DNS rebinding) and Origin, and sends the security headers", async () => {
    const rebound = await app.inject({ url: "/api/v1/accounts", headers: { host: "attacker.example" } });
    expect(rebound.statusCode).toBe(421);
    const cross = await app.inject({
      method: "POST",
      url: "/api/v1/session",
      headers: { origin: "https://attacker.example" },
      payload: { email: "admin@example.com", password: PASSWORD },
    });
    expect(cross.statusCode).toBe(403);
    const page = await app.inject({ url: "/" });
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(page.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(page.headers["x-content-type-options"]).toBe("nosniff");
    expect(page.headers["referrer-policy"]).toBe("same-origin");
    expect(page.headers["strict-transport-security"]).toBeUndefined();

    const https = await buildServer({
      db,
      config: {
        bodyLimit: 1 << 20,
        logLevel: "silent",
        publicUrl: "https://keepwell.example.com",
        host: "0.0.0.0",
      },
    });
    try {
      expect(
        (await https.inject({ url: "/healthz", headers: { host: "keepwell.example.com" } })).statusCode,
      ).toBe(200);
      expect((await https.inject({ url: "/healthz", headers: { host: "localhost" } })).statusCode).toBe(421);
      const res = await https.inject({
        method: "POST",
        url: "/api/v1/session",
        headers: { host: "keepwell.example.com" },
        payload: { email: "reset@example.com", password: "a new long password" },
      });
      expect(cookiesOf(res).kw_session?.attrs).toMatch(/secure/);
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
    } finally {
      await https.close();
    }
  });

  it("creates the first admin through the setup link, once, and only while there are no users", async () => {
    const fresh = await testDb();
    const first = await buildServer({ db: fresh, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
    try {
      const token = await createLink(fresh, "setup", null, new Date());
      expect((await first.inject({ url: `/api/v1/setup?token=${token}` })).json()).toEqual({ valid: true });
      const made = await first.inject({
        method: "POST",
        url: "/api/v1/setup",
        payload: { token, email: "first@example.com", name: "First", password: PASSWORD },
      });
      expect(made.statusCode).toBe(200);
      expect(made.json().user.role).toBe("admin");
      const again = await first.inject({
        method: "POST",
        url: "/api/v1/setup",
        payload: { token, email: "second@example.com", name: "Second", password: PASSWORD },
      });
      expect(again.statusCode).toBe(400);
      const later = await createLink(fresh, "setup", null, new Date());
      const refused = await first.inject({
        method: "POST",
        url: "/api/v1/setup",
        payload: { token: later, email: "third@example.com", name: "Third", password: PASSWORD },
      });
      expect(refused.statusCode).toBe(409);
      await expect(fresh.exec("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
      await expect(fresh.exec("DELETE FROM audit_log")).rejects.toThrow(/append-only/);
    } finally {
      await first.close();
      await fresh.close();
    }
  });
});
