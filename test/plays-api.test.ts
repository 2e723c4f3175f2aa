import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { evaluatePlaybooks } from "../src/playbooks/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { DAY, NOW, type PlaysWorld, playsWorld } from "./helpers/plays-world.js";
import { adminKey } from "./helpers/server.js";
import { sessionHeaders } from "./helpers/team.js";

// biome-ignore lint/suspicious/noExplicitAny: answers read loosely, asserted field by field
type Json = Record<string, any>;

describe(`the plays API (${storeName})`, () => {
  let db: Db;
  let w: PlaysWorld;
  let app: FastifyInstance;
  let now = NOW;
  let admin: Record<string, string>;
  let csmA: Record<string, string>;
  let leaderA: Record<string, string>;
  let mine: string[];

  const get = async (url: string, headers = admin) => app.inject({ method: "GET", url, headers });
  const post = async (url: string, body?: unknown, headers = csmA) =>
    app.inject({ method: "POST", url, headers, ...(body === undefined ? {} : { payload: body as Json }) });
  const events = async (id: string) =>
    db.query<{ kind: string; actor: string; detail: Json }>(
      "SELECT kind, actor, detail FROM play_events WHERE play_id = $1 ORDER BY id",
      [id],
    );

  beforeAll(async () => {
    db = await testDb();
    w = await playsWorld(db);
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" }, clock: () => now });
    admin = { authorization: `Bearer ${await adminKey(db)}` };
    csmA = await sessionHeaders(db, w.users.csmA);
    leaderA = await sessionHeaders(db, w.users.leaderA);
    mine = await w.playsOf(w.users.csmA);
    expect(mine.length).toBeGreaterThanOrEqual(5);
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("lists plays by due time, a page at a time, each as the Play JSON with its account, owner and steps", async () => {
    // Spread the due times so the pages cross several of them.
    await db.query("UPDATE plays SET due_at = due_at - (ascii(right(id, 1)) % 4) * interval '1 hour'");
    const expected = (
      await db.query<{ id: string }>("SELECT id FROM plays WHERE state <> 'closed' ORDER BY due_at, id")
    ).map((r) => r.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/v1/plays?limit=3${cursor ? `&cursor=${cursor}` : ""}`, csmA);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.plays.length).toBeLessThanOrEqual(3);
      seen.push(...body.plays.map((p: Json) => p.id));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));

    const one = (await get(`/api/v1/plays/${mine[0]}`, csmA)).json();
    expect(one).toMatchObject({
      id: mine[0],
      playbook: "follow_up",
      name: "Follow up",
      tier: 1,
      state: "open",
      owner: { id: w.users.csmA.id, email: "csm.a@team.example", name: "Cass A" },
      owner_via: "owner",
      overdue: false,
      late_ms: null,
      outcome: null,
      occurrences: 1,
      arm: "treated",
      notes: [],
      can_change: true,
    });
    expect(one.account.name).toEqual(expect.any(String));
    expect(["healthy", "watch", "at_risk", "critical"]).toContain(one.account.band);
    expect(one.account.score).toBe(one.baseline.score);
    expect(one.reason).toMatch(/\w/);
    expect(one.steps.map((s: Json) => [s.key, s.position, s.owner?.email, s.done_at])).toEqual([
      ["call", 0, "csm.a@team.example", null],
      ["review", 1, "lead.a@team.example", null],
    ]);
    expect(Date.parse(one.steps[0].due_at)).toBe(NOW.getTime() + 2 * DAY);
    expect(Date.parse(one.ack_due_at)).toBe(NOW.getTime() + 2 * DAY);
    expect(one.events.map((e: Json) => e.kind)).toEqual(["opened"]);
  });

  it("answers a page in one statement, however many plays it holds (no query per play)", async () => {
    const calls: string[] = [];
    const query = db.query.bind(db);
    db.query = (async (sql: string, params?: readonly unknown[]) => {
      calls.push(sql);
      return query(sql, params);
    }) as Db["query"];
    try {
      const count = async (limit: number) => {
        calls.length = 0;
        const res = await get(`/api/v1/plays?limit=${limit}`);
        expect(res.json().plays.length).toBe(Math.min(limit, w.all.length));
        return calls.filter((s) => /play_steps/.test(s)).length;
      };
      expect(await count(1)).toBe(1);
      expect(await count(50)).toBe(1);
    } finally {
      db.query = query;
    }
  });

  it("filters by owner (me, a user, unassigned), account, playbook, tier, state and overdue", async () => {
    const me = (await get("/api/v1/plays?owner=me&limit=500", csmA)).json();
    expect(me.plays.map((p: Json) => p.id).sort()).toEqual([...mine].sort());
    const byEmail = (await get(`/api/v1/plays?owner=${w.users.csmB.email}&limit=500`)).json();
    expect(byEmail.plays.length).toBe((await w.playsOf(w.users.csmB)).length);
    expect(byEmail.plays.every((p: Json) => p.owner.id === w.users.csmB.id)).toBe(true);
    expect((await get("/api/v1/plays?owner=unassigned")).json().plays).toEqual([]);
    const account = (await get(`/api/v1/plays/${mine[0]}`)).json().account.id;
    const ofAccount = (await get(`/api/v1/plays?account=${account}&state=all`)).json();
    expect(ofAccount.plays.map((p: Json) => p.id)).toEqual([mine[0]]);
    expect((await get("/api/v1/plays?playbook=follow_up&tier=1&limit=500")).json().plays.length).toBe(
      w.all.length,
    );
    expect((await get("/api/v1/plays?playbook=watch")).json().plays).toEqual([]);
    expect((await get("/api/v1/plays?state=closed")).json().plays).toEqual([]);

    // Overdue as the clock moves: due 14 days after opening (some an hour or three earlier).
    expect((await get("/api/v1/plays?overdue=true")).json().plays).toEqual([]);
    now = new Date(NOW.getTime() + 15 * DAY);
    try {
      const late = (await get("/api/v1/plays?overdue=true&limit=500")).json().plays;
      expect(late.length).toBe(w.all.length);
      for (const p of late) {
        expect(p.overdue).toBe(true);
        expect(p.late_ms).toBe(now.getTime() - Date.parse(p.due_at));
        expect(p.late_ms).toBeGreaterThanOrEqual(DAY);
      }
      expect((await get("/api/v1/plays?overdue=false")).json().plays).toEqual([]);
    } finally {
      now = NOW;
    }
  });

  it("refuses a bad listing with a 400 naming the field", async () => {
    const field = async (url: string, headers = admin) => {
      const res = await get(url, headers);
      expect(res.statusCode, url).toBe(400);
      return res.json().error.details.map((d: Json) => d.field);
    };
    expect(await field("/api/v1/plays?owner=me")).toEqual(["owner"]); // a key owns no plays
    expect(await field("/api/v1/plays?owner=nobody@else.example")).toEqual(["owner"]);
    expect(await field("/api/v1/plays?state=done")).toEqual(["state"]);
    expect(await field("/api/v1/plays?limit=0")).toEqual(["limit"]);
    expect(await field("/api/v1/plays?limit=501")).toEqual(["limit"]);
    expect(await field("/api/v1/plays?tier=x")).toEqual(["tier"]);
    expect(await field("/api/v1/plays?overdue=yes")).toEqual(["overdue"]);
    expect(await field("/api/v1/plays?cursor=not-a-cursor")).toEqual(["cursor"]);
    const forged = Buffer.from(JSON.stringify(["2025-07-15", "x"])).toString("base64url");
    expect(await field(`/api/v1/plays?cursor=${forged}`)).toEqual(["cursor"]);
  });

  it("answers one play with its history, and a 404 naming an unknown id", async () => {
    const res = await get("/api/v1/plays/play_nope");
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/play_nope/);
    expect(res.json().error.details[0].field).toBe("id");
    expect((await post("/api/v1/plays/play_nope/acknowledge", {})).statusCode).toBe(404);
  });

  it("acknowledges once: open → acknowledged with one event; acknowledging again answers 200 unchanged", async () => {
    const id = mine[0]!;
    const first = await post(`/api/v1/plays/${id}/acknowledge`, {});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ id, state: "acknowledged", acknowledged_at: NOW.toISOString() });
    now = new Date(NOW.getTime() + 3_600_000);
    try {
      const again = await post(`/api/v1/plays/${id}/acknowledge`); // no body at all
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ state: "acknowledged", acknowledged_at: NOW.toISOString() });
    } finally {
      now = NOW;
    }
    expect((await events(id)).map((e) => [e.kind, e.actor])).toEqual([
      ["opened", "system"],
      ["acknowledged", "csm.a@team.example"],
    ]);
  });

  it("ticks a step done: an open play moves to in_progress, the step says when and by whom; again changes nothing", async () => {
    const id = mine[1]!;
    const res = await post(`/api/v1/plays/${id}/steps/call/done`, {});
    expect(res.statusCode, res.body).toBe(200);
    const play = res.json();
    expect(play.state).toBe("in_progress");
    expect(play.acknowledged_at).toBe(NOW.toISOString());
    expect(play.steps[0]).toMatchObject({
      key: "call",
      done_at: NOW.toISOString(),
      done_by: "csm.a@team.example",
    });
    expect(play.steps[1].done_at).toBeNull();
    expect((await post(`/api/v1/plays/${id}/steps/call/done`, {})).statusCode).toBe(200);
    const missing = await post(`/api/v1/plays/${id}/steps/nope/done`, {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.details[0].field).toBe("step");
    expect((await events(id)).map((e) => e.kind)).toEqual(["opened", "step_done"]);
    expect((await events(id))[1]?.detail).toMatchObject({ step: "call" });
  });

  it("starts, snoozes until a future time with a reason, and unsnoozes", async () => {
    const id = mine[2]!;
    expect((await post(`/api/v1/plays/${id}/start`, {})).json().state).toBe("in_progress");
    const fields = async (body: unknown) => {
      const res = await post(`/api/v1/plays/${id}/snooze`, body);
      expect(res.statusCode, res.body).toBe(400);
      return res
        .json()
        .error.details.map((d: Json) => d.field)
        .sort();
    };
    expect(await fields(undefined)).toEqual(["reason", "until"]);
    expect(await fields({ until: "2025-06-30T00:00:00Z", reason: "waiting" })).toEqual(["until"]);
    expect(await fields({ until: NOW.toISOString(), reason: "waiting" })).toEqual(["until"]);
    expect(await fields({ until: "next week", reason: "waiting" })).toEqual(["until"]);
    expect(await fields({ until: "2025-07-20T00:00:00Z", reason: "  " })).toEqual(["reason"]);
    const until = "2025-07-20T00:00:00.000Z";
    const snoozed = await post(`/api/v1/plays/${id}/snooze`, { until, reason: "customer on holiday" });
    expect(snoozed.statusCode, snoozed.body).toBe(200);
    expect(snoozed.json()).toMatchObject({
      state: "snoozed",
      snoozed_until: until,
      snooze_reason: "customer on holiday",
    });
    // Starting a snoozed play is a wrong transition: unsnooze it first.
    const start = await post(`/api/v1/plays/${id}/start`, {});
    expect(start.statusCode).toBe(409);
    expect(start.json().error.message).toMatch(/snoozed until/);
    // Evaluating again re-fires nothing on it.
    await evaluatePlaybooks(db, { now: new Date(NOW.getTime() + DAY) });
    expect((await get(`/api/v1/plays/${id}`)).json()).toMatchObject({ state: "snoozed", occurrences: 1 });
    const woken = await post(`/api/v1/plays/${id}/unsnooze`, {});
    expect(woken.json()).toMatchObject({ state: "in_progress", snoozed_until: null, snooze_reason: null });
    expect((await post(`/api/v1/plays/${id}/unsnooze`, {})).statusCode).toBe(200);
    expect((await events(id)).map((e) => e.kind)).toEqual(["opened", "started", "snoozed", "unsnoozed"]);
    expect((await events(id))[2]?.detail).toEqual({ until, reason: "customer on holiday" });
  });

  it("adds notes, with who and when", async () => {
    const id = mine[2]!;
    const empty = await post(`/api/v1/plays/${id}/notes`, { text: "" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].field).toBe("text");
    const nul = await post(`/api/v1/plays/${id}/notes`, { text: "a\u0000b" });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details[0]).toMatchObject({
      field: "text",
      message: expect.stringMatching(/plain text/),
    });
    const res = await post(`/api/v1/plays/${id}/notes`, { text: "Spoke to their COO." });
    expect(res.json().notes).toEqual([
      { at: NOW.toISOString(), by: "csm.a@team.example", text: "Spoke to their COO." },
    ]);
    expect((await events(id)).at(-1)).toMatchObject({
      kind: "note",
      detail: { text: "Spoke to their COO." },
    });
  });

  it("reassigns: the new owner takes it and the old one's steps, the old owner stays on; audited", async () => {
    const id = mine[3]!;
    const bad = async (user_id: string) => {
      const res = await post(`/api/v1/plays/${id}/reassign`, { user_id }, leaderA);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details[0].field).toBe("user_id");
    };
    await bad("usr_nobody");
    await bad(w.users.viewer.id);
    const noBody = await post(`/api/v1/plays/${id}/reassign`, undefined, leaderA);
    expect(noBody.json().error.details[0].field).toBe("user_id");
    const res = await post(
      `/api/v1/plays/${id}/reassign`,
      { user_id: w.users.csmB.id, note: "cover" },
      leaderA,
    );
    expect(res.statusCode, res.body).toBe(200);
    const play = res.json();
    expect(play.owner.id).toBe(w.users.csmB.id);
    expect(play.owner_via).toBe("reassigned");
    expect(play.collaborators.map((c: Json) => c.id)).toEqual([w.users.csmA.id]);
    expect(play.steps.map((s: Json) => s.owner?.id)).toEqual([w.users.csmB.id, w.users.leaderA.id]);
    // It is csmB's now, no longer csmA's to change.
    expect(play.can_change).toBe(false);
    expect((await events(id)).at(-1)).toMatchObject({
      kind: "reassigned",
      actor: "lead.a@team.example",
      detail: { from: w.users.csmA.id, to: w.users.csmB.id, note: "cover" },
    });
    const [audit] = await db.query<{ action: string; actor_label: string; before: Json; after: Json }>(
      "SELECT action, actor_label, before, after FROM audit_log WHERE subject_type = 'play' AND subject_id = $1",
      [id],
    );
    expect(audit).toMatchObject({
      action: "play.reassigned",
      actor_label: "lead.a@team.example",
      before: { owner_user: w.users.csmA.id },
      after: { to: w.users.csmB.id },
    });
    // Saying it again changes nothing.
    await post(`/api/v1/plays/${id}/reassign`, { user_id: w.users.csmB.id }, leaderA);
    expect((await events(id)).filter((e) => e.kind === "reassigned")).toHaveLength(1);
  });

  it("closes only with an outcome, an expansion only with its amount; closing again is a 409", async () => {
    const id = mine[4]!;
    const field = async (body: unknown) => {
      const res = await post(`/api/v1/plays/${id}/close`, body);
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error.details.map((d: Json) => d.field);
    };
    expect(await field(undefined)).toEqual(["outcome"]);
    expect(await field({})).toEqual(["outcome"]);
    expect(await field({ outcome: "won" })).toEqual(["outcome"]);
    expect(await field({ outcome: "superseded" })).toEqual(["outcome"]);
    expect(await field({ outcome: "expanded" })).toEqual(["amount"]);
    expect(await field({ outcome: "expanded", amount: 0 })).toEqual(["amount"]);
    expect(await field({ outcome: "expanded", amount: "lots" })).toEqual(["amount"]);
    expect((await get(`/api/v1/plays/${id}`)).json().state).toBe("open");

    const res = await post(`/api/v1/plays/${id}/close`, {
      outcome: "expanded",
      amount: 12000,
      note: "added 20 seats",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      state: "closed",
      outcome: "expanded",
      outcome_amount: 12000,
      outcome_note: "added 20 seats",
      closed_at: NOW.toISOString(),
      closed_by: "csm.a@team.example",
      overdue: false,
    });
    const again = await post(`/api/v1/plays/${id}/close`, { outcome: "saved" });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/already closed/);
    const ack = await post(`/api/v1/plays/${id}/acknowledge`, {});
    expect(ack.statusCode).toBe(409);
    expect(ack.json().error.message).toMatch(/closed \(expanded.*cannot be acknowledged/);
    for (const path of ["start", "unsnooze", "steps/call/done"])
      expect((await post(`/api/v1/plays/${id}/${path}`, {})).statusCode, path).toBe(409);
    expect(
      (await post(`/api/v1/plays/${id}/snooze`, { until: "2025-07-20T00:00:00Z", reason: "x" })).statusCode,
    ).toBe(409);
    // A note still goes on a closed play (what happened next).
    expect((await post(`/api/v1/plays/${id}/notes`, { text: "renewed in full" })).statusCode).toBe(200);

    expect((await events(id)).map((e) => e.kind)).toEqual(["opened", "closed", "note"]);
    const audits = await db.query<{ action: string; after: Json }>(
      "SELECT action, after FROM audit_log WHERE subject_type = 'play' AND subject_id = $1",
      [id],
    );
    expect(audits).toEqual([
      { action: "play.closed", after: { outcome: "expanded", amount: 12000, note: "added 20 seats" } },
    ]);
    expect((await get(`/api/v1/plays?state=closed`)).json().plays.map((p: Json) => p.id)).toEqual([id]);
  });

  it("answers an account's plays: the open one and its history; a 404 naming an unknown account", async () => {
    const closed = (await get(`/api/v1/plays/${mine[4]}`)).json();
    const open = (await get(`/api/v1/plays/${mine[0]}`)).json();
    const ofClosed = (await get(`/api/v1/accounts/${closed.account.id}/plays`, csmA)).json();
    expect(ofClosed.open).toEqual([]);
    expect(ofClosed.history.map((p: Json) => [p.id, p.outcome])).toEqual([[mine[4], "expanded"]]);
    const ofOpen = (await get(`/api/v1/accounts/${open.account.id}/plays`, csmA)).json();
    expect(ofOpen.open.map((p: Json) => p.id)).toEqual([mine[0]]);
    expect(ofOpen.open[0].can_change).toBe(true);
    expect(ofOpen.history).toEqual([]);
    const none = await get("/api/v1/accounts/acc_nope/plays");
    expect(none.statusCode).toBe(404);
    expect(none.json().error.message).toMatch(/acc_nope/);
  });

  it("shows each person's open, overdue and closed plays and the SLA kept; leaders see their team", async () => {
    const asLeader = (await get("/api/v1/team/plays", leaderA)).json();
    expect(asLeader.people.map((p: Json) => p.user.email).sort()).toEqual([
      "csm.a@team.example",
      "lead.a@team.example",
    ]);
    const a = asLeader.people.find((p: Json) => p.user.id === w.users.csmA.id);
    const stillMine = await w.playsOf(w.users.csmA);
    expect(a).toMatchObject({
      open: stillMine.length,
      overdue: 0,
      closed: 1,
      closed_by_outcome: { saved: 0, expanded: 1, lost: 0, superseded: 0 },
      // Acknowledged in time: the three acknowledged (directly, by a step, by starting); the others' time is not up.
      acknowledged_on_time_share: 1,
      done_on_time_share: 1,
    });
    expect(a.opened_per_week).toBeCloseTo(((mine.length - 1) * 7) / 90, 2);
    expect(a.user).toMatchObject({ role: "csm", manager_id: w.users.leaderA.id });

    const asAdmin = (await get("/api/v1/team/plays")).json();
    const emails = asAdmin.people.map((p: Json) => p.user.email);
    expect(emails).toEqual(
      expect.arrayContaining(["csm.b@team.example", "vp@team.example", "admin@team.example"]),
    );
    expect(emails).not.toContain("viewer@team.example");
    expect(asAdmin.unassigned_open).toBe(0);
    const self = (await get("/api/v1/team/plays", csmA)).json();
    expect(self.people.map((p: Json) => p.user.email)).toEqual(["csm.a@team.example"]);

    // Later, with the acknowledgement time passed, the unacknowledged ones count as late.
    now = new Date(NOW.getTime() + 3 * DAY);
    try {
      const later = (await get("/api/v1/team/plays", csmA)).json().people[0];
      // csmA's plays opened in the window (all but the one reassigned): four acknowledged at once
      // (directly, by a step, by starting, by closing), the rest not at all.
      expect(later.acknowledged_on_time_share).toBeCloseTo(4 / (mine.length - 1), 3);
    } finally {
      now = NOW;
    }

    const bad = await get("/api/v1/team/plays?from=2025-07-02&to=2025-07-01");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("from");
    expect((await get("/api/v1/team/plays?from=July")).json().error.details[0].field).toBe("from");
  });
});
