import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { createUser, listAudit, type Role, tokenHash, type User, updateUser } from "../src/auth/index.js";
import { safeReturnPath } from "../src/auth/return-path.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { freePorts, type Issuer, startIssuer } from "./helpers/oidc-issuer.js";

const system = { type: "system" as const, id: null, label: "tests" };
type Keepwell = { url: string; close: () => Promise<void> };

describe(`single sign-on with OpenID Connect against a real provider (${storeName})`, () => {
  let db: Db;
  let issuer: Issuer;
  let spare: number;
  /** Creates unknown verified emails as viewers; `closed` has no default role. */
  let open: Keepwell;
  let closed: Keepwell;
  let alice: User;
  let mallory: User;
  let gone: User;
  let offsetMs = 0;
  const logs: string[] = [];
  const closers: (() => Promise<void>)[] = [];

  async function keepwell(port: number, defaultRole?: Role, at: Issuer = issuer): Promise<Keepwell> {
    const url = `http://127.0.0.1:${port}`;
    const app = await buildServer({
      db,
      clock: () => new Date(Date.now() + offsetMs),
      logStream: new Writable({
        write: (chunk, _enc, done) => {
          logs.push(String(chunk));
          done();
        },
      }),
      config: {
        bodyLimit: 1 << 20,
        logLevel: "info",
        publicUrl: url,
        oidc: { issuer: at.issuer, clientId: at.clientId, clientSecret: at.clientSecret, defaultRole },
      },
    });
    await app.listen({ port, host: "127.0.0.1" });
    const close = () => app.close();
    closers.push(close);
    return { url, close };
  }

  beforeAll(async () => {
    db = await testDb();
    const [a, b, c] = await freePorts(3);
    spare = c!;
    issuer = await startIssuer({
      redirectUris: [a, b].map((p) => `http://127.0.0.1:${p}/auth/oidc/callback`),
    });
    closers.push(issuer.close);
    open = await keepwell(a!, "viewer");
    closed = await keepwell(b!);
    alice = await createUser(db, { email: "alice@example.com", name: "Alice", role: "csm" }, system);
    mallory = await createUser(db, { email: "mallory@example.com", name: "Mallory", role: "admin" }, system);
    gone = await createUser(db, { email: "gone@example.com", name: "Gone", role: "csm" }, system);
    await updateUser(db, gone.id, { active: false }, system);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await db?.close();
  });

  const cookies = (res: Response) =>
    Object.fromEntries(
      res.headers.getSetCookie().map((line) => {
        const pair = line.split(";")[0]!;
        return [pair.slice(0, pair.indexOf("=")), { value: pair.slice(pair.indexOf("=") + 1), line }];
      }),
    );
  /** Keepwell's start: the provider's URL to go to, and the state cookie the browser keeps meanwhile. */
  async function begin(kw: Keepwell, query = "") {
    const start = await fetch(`${kw.url}/auth/oidc/login${query}`, { redirect: "manual" });
    expect(start.status).toBe(302);
    return { authorization: new URL(start.headers.get("location")!), kept: cookies(start).kw_oidc_state };
  }
  /** Back at Keepwell's callback from the provider, with the browser's state cookie (or none). */
  const back = (callback: URL, kept?: string) =>
    fetch(callback, { redirect: "manual", headers: kept ? { cookie: `kw_oidc_state=${kept}` } : {} });
  /** Keepwell's start, the provider's login and consent, then Keepwell's callback (its answer, not followed). */
  async function signIn(kw: Keepwell, login: string, query = "", at: Issuer = issuer) {
    const { authorization, kept } = await begin(kw, query);
    const callback = await at.authorize(authorization.href, login);
    const res = await back(callback, kept?.value);
    return { authorization, kept, callback, res, location: res.headers.get("location") };
  }
  const sessionUser = async (kw: Keepwell, token: string | undefined) => {
    const res = await fetch(`${kw.url}/api/v1/session`, { headers: { cookie: `kw_session=${token}` } });
    return res.status === 200 ? ((await res.json()) as { user: User }).user : res.status;
  };
  /** The message a refused sign-in sends to the sign-in page. */
  const refusal = (res: Response) => {
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("location")!, "http://keepwell.invalid");
    expect(to.pathname).toBe("/signin");
    expect(res.headers.getSetCookie().join()).not.toContain("kw_session");
    return to.searchParams.get("error");
  };
  const audited = async (action: string, subject?: string) =>
    (await listAudit(db, { action, subject_id: subject, limit: 100 })).data;
  /** The reasons of every refused single sign-on so far. */
  const refusedFor = async () =>
    (await audited("session.sign_in_failed")).map((e) => (e.after as { reason: string }).reason);
  const sessionsOf = async (userId: string) =>
    (
      await db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE user_id = $1", [userId])
    )[0]!.n;

  it("signs an existing user in through the full redirect flow, with a working session", async () => {
    const { authorization, kept, callback, res, location } = await signIn(open, "alice");
    expect(authorization.origin).toBe(issuer.issuer);
    const asked = Object.fromEntries(authorization.searchParams);
    expect(asked).toMatchObject({
      client_id: issuer.clientId,
      redirect_uri: `${open.url}/auth/oidc/callback`,
      response_type: "code",
      scope: "openid email profile",
      code_challenge_method: "S256",
    });
    expect(asked.state && asked.nonce && asked.code_challenge).toBeTruthy();
    expect(authorization.href).not.toContain(issuer.clientSecret);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${open.url}/auth/oidc/callback`);
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(kept?.line).toMatch(/HttpOnly/i);
    expect(kept?.line).toMatch(/Path=\/auth\/oidc\/callback/i);

    expect(res.status).toBe(302);
    expect(location).toBe("/");
    const set = cookies(res);
    expect(set.kw_session?.line).toMatch(/HttpOnly/i);
    expect(set.kw_session?.line).toMatch(/SameSite=Lax/i);
    expect(set.kw_csrf?.line).not.toMatch(/HttpOnly/i);
    expect(set.kw_oidc_state?.line, "the state cookie is cleared").toMatch(/Expires=Thu, 01 Jan 1970/i);
    const user = await sessionUser(open, set.kw_session?.value);
    expect(user).toMatchObject({ id: alice.id, email: "alice@example.com", role: "csm" });
    const [state] = await db.query("SELECT 1 FROM oidc_logins WHERE state_hash = $1", [
      tokenHash(asked.state!),
    ]);
    expect(state, "the state is used up").toBeUndefined();
    const [entry] = await audited("session.signed_in", alice.id);
    expect(entry).toMatchObject({ actor_type: "user", actor_id: alice.id, after: { via: "oidc" } });

    // The readable CSRF cookie is this session's: a change with it goes through (signing out).
    const out = await fetch(`${open.url}/api/v1/session`, {
      method: "DELETE",
      headers: { cookie: `kw_session=${set.kw_session?.value}`, "x-csrf-token": set.kw_csrf!.value },
    });
    expect(out.status).toBe(200);
    expect(await sessionUser(open, set.kw_session?.value)).toBe(401);
  });

  it("comes back to the page the sign-in started from, and only ever to a path on this site", async () => {
    const returned = await signIn(open, "alice", `?next=${encodeURIComponent("/accounts/acme?tab=risk")}`);
    expect(returned.location).toBe("/accounts/acme?tab=risk");
    const away = await signIn(open, "alice", `?next=${encodeURIComponent("//evil.example/x")}`);
    expect(away.location).toBe("/");
    for (const next of [
      "https://evil.example/",
      "/\\evil.example",
      "/\t/evil.example",
      "/signin",
      "accounts",
    ])
      expect(safeReturnPath(next), next).toBe("/");
  });

  it("creates an unknown verified email with the default role, named by the name claim or else the email", async () => {
    const first = await signIn(open, "nadia");
    expect(first.location).toBe("/");
    const nadia = await sessionUser(open, cookies(first.res).kw_session?.value);
    expect(nadia).toMatchObject({
      email: "nadia.new@example.com",
      name: "Nadia New",
      role: "viewer",
      active: true,
    });
    const id = (nadia as User).id;
    expect(await audited("user.created", id)).toHaveLength(1);
    expect(await audited("session.signed_in", id)).toHaveLength(1);

    const again = await signIn(open, "nadia");
    expect(await sessionUser(open, cookies(again.res).kw_session?.value)).toMatchObject({ id });
    const quiet = await signIn(open, "quiet");
    expect(await sessionUser(open, cookies(quiet.res).kw_session?.value)).toMatchObject({
      email: "quiet@example.com",
      name: "quiet@example.com",
    });
  });

  it("refuses an unknown email when no default role is set, and audits it", async () => {
    const { res } = await signIn(closed, "stranger");
    expect(refusal(res)).toMatch(/ask an admin to add you/);
    expect(await db.query("SELECT 1 FROM users WHERE email = 'stranger@example.com'")).toEqual([]);
    const failed = (await audited("session.sign_in_failed")).filter(
      (e) => e.actor_label === "stranger@example.com",
    );
    expect(failed).toMatchObject([
      { actor_type: "anonymous", after: { via: "oidc", reason: "unknown_user" } },
    ]);
  });

  it("refuses an unverified email, even one a user has, and audits it", async () => {
    const { res } = await signIn(open, "mallory");
    expect(refusal(res)).toMatch(/not verified your email/);
    expect(await sessionsOf(mallory.id)).toBe(0);
    expect(await audited("session.sign_in_failed", mallory.id)).toMatchObject([
      { after: { via: "oidc", reason: "unverified_email" } },
    ]);
  });

  it("refuses an inactive user, and audits it", async () => {
    const { res } = await signIn(open, "gone");
    expect(refusal(res)).toMatch(/deactivated/);
    expect(await sessionsOf(gone.id)).toBe(0);
    expect(await audited("session.sign_in_failed", gone.id)).toMatchObject([
      { after: { via: "oidc", reason: "deactivated" } },
    ]);
  });

  it("refuses a replayed state, and a forged or missing one", async () => {
    const before = await sessionsOf(alice.id);
    const { callback, kept, location } = await signIn(closed, "alice");
    expect(location).toBe("/");
    expect(refusal(await back(callback, kept?.value))).toMatch(/expired or was used already/);
    expect(await sessionsOf(alice.id)).toBe(before + 1);

    // A forged state (with a cookie to match), or none, uses nothing up: the genuine answer still works.
    const { authorization, kept: genuineKept } = await begin(closed);
    const genuine = await issuer.authorize(authorization.href, "alice");
    const forged = new URL(genuine);
    const made = "forged-state-0123456789abcdefghijklmnop";
    forged.searchParams.set("state", made);
    expect(refusal(await back(forged, made))).toMatch(/expired or was used already/);
    forged.searchParams.delete("state");
    expect(refusal(await back(forged, genuineKept?.value))).toMatch(/expired or was used already/);
    expect((await back(genuine, genuineKept?.value)).headers.get("location")).toBe("/");
    expect(await sessionsOf(alice.id)).toBe(before + 2);
    expect((await refusedFor()).filter((r) => r === "state").length).toBeGreaterThanOrEqual(3);
  });

  it("refuses an answer brought to another browser than the one that started (login CSRF)", async () => {
    const { authorization, kept } = await begin(closed);
    const theirs = await issuer.authorize(authorization.href, "alice");
    expect(refusal(await back(theirs))).toMatch(/started in another browser/);
    const other = await begin(closed);
    expect(refusal(await back(theirs, other.kept?.value))).toMatch(/started in another browser/);
    expect((await back(theirs, kept?.value)).headers.get("location"), "nothing was used up").toBe("/");
    expect((await refusedFor()).filter((r) => r === "other_browser")).toHaveLength(2);
  });

  it("refuses a sign-in finished more than ten minutes after it started", async () => {
    const { authorization, kept } = await begin(open);
    const callback = await issuer.authorize(authorization.href, "alice");
    offsetMs = 11 * 60_000;
    try {
      expect(refusal(await back(callback, kept?.value))).toMatch(/expired/);
    } finally {
      offsetMs = 0;
    }
  });

  it("shows the provider's own refusal (the person declined at the provider)", async () => {
    const { authorization, kept } = await begin(open);
    const state = authorization.searchParams.get("state")!;
    const declined = new URL(`${open.url}/auth/oidc/callback`);
    for (const [k, v] of Object.entries({ error: "access_denied", state, iss: issuer.issuer }))
      declined.searchParams.set(k, v);
    expect(refusal(await back(declined, kept?.value))).toMatch(/refused the sign-in \(access_denied\)/);
  });

  it("reads email and name from the ID token when the provider puts them there", async () => {
    const inToken = await startIssuer({
      redirectUris: [`http://127.0.0.1:${spare}/auth/oidc/callback`],
      claimsInIdToken: true,
    });
    closers.push(inToken.close);
    const kw = await keepwell(spare, undefined, inToken);
    const { res } = await signIn(kw, "alice", "", inToken);
    expect(await sessionUser(kw, cookies(res).kw_session?.value)).toMatchObject({ id: alice.id });
  });

  it("says clearly when the issuer cannot be reached or is not https, and is not there when off", async () => {
    const [nobody] = await freePorts(1);
    const start = async (issuerUrl: string | undefined) => {
      const oidc = issuerUrl
        ? { issuer: issuerUrl, clientId: "x", clientSecret: "not-this-secret" }
        : undefined;
      const app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent", oidc } });
      const res = await app.inject({ method: "GET", url: "/auth/oidc/login" });
      await app.close();
      return res;
    };
    const down = await start(`http://127.0.0.1:${nobody}`);
    expect(down.statusCode).toBe(302);
    expect(new URL(down.headers.location!, "http://x").searchParams.get("error")).toMatch(
      /cannot be reached.*ECONNREFUSED/,
    );
    expect(down.headers.location).not.toContain("not-this-secret");
    const plain = await start("http://sso.example.com");
    expect(new URL(plain.headers.location!, "http://x").searchParams.get("error")).toMatch(
      /must be an https/,
    );
    const off = await start(undefined);
    expect(off.headers.location, "no sign-on when it is off").toBeUndefined();
    expect(off.headers["content-type"]).toMatch(/html/); // the dashboard's shell, not a redirect
  });

  it("never logs the client secret", () => {
    expect(logs.join("")).toContain("/auth/oidc/callback");
    expect(logs.join("")).not.toContain(issuer.clientSecret);
  });
});
