import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { NOW, type PlaysWorld, playsWorld } from "./helpers/plays-world.js";
import { adminKey } from "./helpers/server.js";
import { keyWith, sessionHeaders } from "./helpers/team.js";

type Json = Record<string, unknown>;
type Headers = Record<string, string>;

/**
 * Only a play's owner, someone up the owner's manager chain, or an admin (or
 * a key with write) may change it; executives only their own; viewers and
 * read keys nothing. A refused change changes nothing and writes nothing.
 */
describe(`who may change a play (${storeName})`, () => {
  let db: Db;
  let w: PlaysWorld;
  let app: FastifyInstance;
  let as: Record<"admin" | "exec" | "leaderA" | "leaderB" | "csmA" | "csmB" | "viewer", Headers>;
  let readKey: Headers;
  let writeKey: Headers;
  let adminKeyH: Headers;
  let a: string[];
  let b: string[];

  const post = (url: string, headers: Headers, body: Json = {}) =>
    app.inject({ method: "POST", url, headers, payload: body });
  const get = (url: string, headers: Headers) => app.inject({ method: "GET", url, headers });
  const stateOf = async (id: string) =>
    (await db.query<{ state: string }>("SELECT state FROM plays WHERE id = $1", [id]))[0]?.state;
  const eventCount = async (id: string) =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM play_events WHERE play_id = $1", [id]))[0]
      ?.n;

  beforeAll(async () => {
    db = await testDb();
    w = await playsWorld(db);
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" }, clock: () => NOW });
    const u = w.users;
    as = {
      admin: await sessionHeaders(db, u.admin),
      exec: await sessionHeaders(db, u.exec),
      leaderA: await sessionHeaders(db, u.leaderA),
      leaderB: await sessionHeaders(db, u.leaderB),
      csmA: await sessionHeaders(db, u.csmA),
      csmB: await sessionHeaders(db, u.csmB),
      viewer: await sessionHeaders(db, u.viewer),
    };
    readKey = { authorization: `Bearer ${await keyWith(db, ["read"])}` };
    writeKey = { authorization: `Bearer ${await keyWith(db, ["write"])}` };
    adminKeyH = { authorization: `Bearer ${await adminKey(db)}` };
    a = await w.playsOf(u.csmA);
    b = await w.playsOf(u.csmB);
    expect(a.length).toBeGreaterThanOrEqual(6);
    expect(b.length).toBeGreaterThanOrEqual(3);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("a CSM cannot close another CSM's play (403, saying whose it is); nothing changes", async () => {
    const id = a[0]!;
    const before = await eventCount(id);
    const res = await post(`/api/v1/plays/${id}/close`, as.csmB, { outcome: "saved" });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/only the play's owner.*csm\.a@team\.example's/);
    for (const path of ["acknowledge", "start", "unsnooze", "steps/call/done"])
      expect((await post(`/api/v1/plays/${id}/${path}`, as.csmB)).statusCode, path).toBe(403);
    expect((await post(`/api/v1/plays/${id}/notes`, as.csmB, { text: "hi" })).statusCode).toBe(403);
    expect(
      (await post(`/api/v1/plays/${id}/reassign`, as.csmB, { user_id: w.users.csmB.id })).statusCode,
    ).toBe(403);
    expect(
      (await post(`/api/v1/plays/${id}/snooze`, as.csmB, { until: "2025-07-20T00:00:00Z", reason: "x" }))
        .statusCode,
    ).toBe(403);
    expect(await stateOf(id)).toBe("open");
    expect(await eventCount(id)).toBe(before);
    // …and their own, they can.
    expect((await post(`/api/v1/plays/${b[0]}/acknowledge`, as.csmB)).statusCode).toBe(200);
  });

  it("the CSM's leader can; another leader cannot", async () => {
    expect((await post(`/api/v1/plays/${a[1]}/close`, as.leaderB, { outcome: "saved" })).statusCode).toBe(
      403,
    );
    const res = await post(`/api/v1/plays/${a[1]}/close`, as.leaderA, { outcome: "saved", note: "done" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: "closed", outcome: "saved", closed_by: "lead.a@team.example" });
  });

  it("an admin can, as a person or with a key; a key with write can", async () => {
    expect((await post(`/api/v1/plays/${a[2]}/close`, as.admin, { outcome: "lost" })).json().state).toBe(
      "closed",
    );
    expect((await post(`/api/v1/plays/${b[1]}/acknowledge`, adminKeyH)).json().state).toBe("acknowledged");
    const res = await post(`/api/v1/plays/${b[2]}/close`, writeKey, { outcome: "not_needed" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().closed_by).toBe("key write");
  });

  it("a viewer reads every play but changes none", async () => {
    const list = (await get("/api/v1/plays?limit=500", as.viewer)).json();
    expect(list.plays.length).toBeGreaterThan(0);
    expect(list.plays.every((p: Json) => p.can_change === false)).toBe(true);
    const id = a[3]!;
    for (const [path, body] of [
      ["acknowledge", {}],
      ["close", { outcome: "saved" }],
      ["notes", { text: "looks fine" }],
      ["steps/call/done", {}],
    ] as const) {
      const res = await post(`/api/v1/plays/${id}/${path}`, as.viewer, body);
      expect(res.statusCode, path).toBe(403);
      expect(res.json().error.message).toMatch(/"plays.write" permission.*you are viewer/);
    }
    expect(await stateOf(id)).toBe("open");
  });

  it("an executive cannot change a play they do not own (even up the owner's chain), but can one they own", async () => {
    // The executive manages leader A, who manages CSM A: still not theirs to change.
    const res = await post(`/api/v1/plays/${a[3]}/acknowledge`, as.exec);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(/executive changes only the plays they own/);
    const given = await post(`/api/v1/plays/${a[4]}/reassign`, as.admin, { user_id: w.users.exec.id });
    expect(given.json().owner.email).toBe("vp@team.example");
    const mine = await post(`/api/v1/plays/${a[4]}/acknowledge`, as.exec);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({ state: "acknowledged", can_change: true });
    const listed = (await get("/api/v1/plays?owner=me", as.exec)).json().plays;
    expect(listed.map((p: Json) => [p.id, p.can_change])).toEqual([[a[4], true]]);
  });

  it("a read key may read plays but change none", async () => {
    expect((await get(`/api/v1/plays/${a[3]}`, readKey)).statusCode).toBe(200);
    expect((await get("/api/v1/team/plays", readKey)).statusCode).toBe(200);
    const res = await post(`/api/v1/plays/${a[3]}/acknowledge`, readKey);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toMatch(
      /"plays.write" permission, which this key's scopes \(read\) do not grant/,
    );
    expect(await stateOf(a[3]!)).toBe("open");
  });

  it("can_change says what the caller may do, play by play", async () => {
    const flags = async (h: Headers) =>
      new Map(
        (await get("/api/v1/plays?limit=500", h))
          .json()
          .plays.map((p: Json) => [p.id as string, p.can_change as boolean]),
      );
    const asA = await flags(as.csmA);
    const asLeaderA = await flags(as.leaderA);
    const asAdmin = await flags(as.admin);
    for (const id of a.slice(3, 4).concat(a.slice(5))) {
      expect(asA.get(id), id).toBe(true);
      expect(asLeaderA.get(id), id).toBe(true);
    }
    for (const id of b.slice(3)) {
      expect(asA.get(id), id).toBe(false);
      expect(asLeaderA.get(id), id).toBe(false);
    }
    expect([...asAdmin.values()].every(Boolean)).toBe(true);
  });

  it("a step's owner may tick their own step on a play they may not otherwise change", async () => {
    // Give one of CSM A's plays to CSM B: its review step stays leader A's, who is not up CSM B's chain.
    const id = a[5]!;
    const given = await post(`/api/v1/plays/${id}/reassign`, as.admin, { user_id: w.users.csmB.id });
    expect(given.json().steps.map((s: Json) => (s.owner as Json | null)?.email)).toEqual([
      "csm.b@team.example",
      "lead.a@team.example",
    ]);
    expect((await post(`/api/v1/plays/${id}/acknowledge`, as.leaderA)).statusCode).toBe(403);
    expect((await post(`/api/v1/plays/${id}/steps/call/done`, as.leaderA)).statusCode).toBe(403);
    const review = await post(`/api/v1/plays/${id}/steps/review/done`, as.leaderA);
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json().steps[1]).toMatchObject({ key: "review", done_by: "lead.a@team.example" });
    expect(review.json().can_change).toBe(false);
  });

  it("a leader sees their team's figures, an executive everyone's, a CSM their own", async () => {
    const people = async (h: Headers) =>
      ((await get("/api/v1/team/plays", h)).json().people as { user: { email: string } }[])
        .map((p) => p.user.email)
        .sort();
    expect(await people(as.leaderB)).toEqual(["csm.b@team.example", "lead.b@team.example"]);
    expect(await people(as.csmB)).toEqual(["csm.b@team.example"]);
    expect(await people(as.viewer)).toEqual(["viewer@team.example"]);
    expect((await people(as.exec)).length).toBeGreaterThanOrEqual(6);
  });
});
