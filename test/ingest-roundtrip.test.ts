import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITY_NAMES } from "../src/ingest/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { DEFAULTS, SAMPLE } from "./helpers/fixtures.js";
import { snapshot, testServer } from "./helpers/server.js";

describe(`ingest round trip (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await testDb();
    app = await testServer(db);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  for (const entity of ENTITY_NAMES) {
    it(`${entity}: what is posted is what is read back`, async () => {
      const res = await app.inject({ method: "POST", url: `/api/v1/${entity}`, payload: SAMPLE[entity] });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ inserted: SAMPLE[entity].length, updated: 0, unchanged: 0 });

      const url =
        entity === "accounts" ? "/api/v1/accounts?sort=id" : `/api/v1/${entity}?account=acc_1&limit=100`;
      const list = await app.inject({ method: "GET", url });
      expect(list.statusCode, list.body).toBe(200);
      const got = list.json().data as Record<string, unknown>[];
      const key = (r: Record<string, unknown>) => String(r.id ?? `${r.account}|${r.date}|${r.name}`);
      for (const sent of SAMPLE[entity]) {
        const back = got.find((r) => key(r) === key(sent));
        expect(back, `${entity} ${key(sent)}`).toBeDefined();
        expect(back).toMatchObject({ ...DEFAULTS[entity], ...sent });
      }
    });
  }

  it("re-sending everything changes nothing, and a changed record is updated", async () => {
    const before = await snapshot(db);
    for (const entity of ENTITY_NAMES) {
      const res = await app.inject({
        method: "POST",
        url: `/api/v1/${entity}`,
        payload: { records: SAMPLE[entity] },
      });
      expect(res.json(), entity).toEqual({ inserted: 0, updated: 0, unchanged: SAMPLE[entity].length });
    }
    expect(await snapshot(db)).toEqual(before);

    const changed = { ...SAMPLE.tickets[0], status: "closed", tags: ["bug"] };
    const res = await app.inject({ method: "POST", url: "/api/v1/tickets", payload: [changed] });
    expect(res.json()).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
    const [t] = await db.query<{ status: string; tags: string[] }>(
      "SELECT status, tags FROM tickets WHERE id = 't_1'",
    );
    expect(t).toEqual({ status: "closed", tags: ["bug"] });
  });

  it("an event re-sent with the same id is ignored, even when its content differs", async () => {
    const again = { ...SAMPLE.events[0], value: 99 };
    const res = await app.inject({ method: "POST", url: "/api/v1/events", payload: [again] });
    expect(res.json()).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
    const [e] = await db.query<{ value: number }>("SELECT value FROM events WHERE id = 'e_1'");
    expect(e?.value).toBe(3);
  });

  it("a metric row is keyed by (account, date, name)", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/metrics",
      payload: [
        { account: "acc_1", date: "2025-06-01", name: "warehouse_active_users", value: 33 },
        { account: "acc_1", date: "2025-06-03", name: "warehouse_active_users", value: 30 },
      ],
    });
    expect(res.json()).toEqual({ inserted: 1, updated: 1, unchanged: 0 });
    const rows = await db.query("SELECT date, value FROM metrics ORDER BY date");
    expect(rows).toEqual([
      { date: "2025-06-01", value: 33 },
      { date: "2025-06-02", value: 29.5 },
      { date: "2025-06-03", value: 30 },
    ]);
  });

  it("the account page counts the account's facts", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/accounts/acc_1" });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.account.name).toBe("Acme Analytics");
    expect(body.counts).toEqual({
      contacts: 2,
      subscriptions: 1,
      events: 2,
      tickets: 1,
      invoices: 1,
      meetings: 1,
      surveys: 1,
      notes: 1,
      opportunities: 1,
      metrics: 3,
    });
  });
});

describe(`usage roll-ups (${storeName})`, () => {
  it("count each event once, whether it arrives new, again, or mixed with new ones", async () => {
    const db = await testDb();
    const app = await testServer(db);
    try {
      await app.inject({ method: "POST", url: "/api/v1/accounts", payload: SAMPLE.accounts });
      const ev = (id: string, user: string | undefined, ts: string, name: string, value = 1) => ({
        id,
        account: "acc_1",
        user,
        ts,
        name,
        value,
      });
      const first = [
        ev("a", "u1", "2025-06-01T10:00:00Z", "view", 2),
        ev("b", "u1", "2025-06-01T23:59:59Z", "view", 3),
        ev("c", undefined, "2025-06-01T12:00:00+02:00", "export"),
      ];
      await app.inject({ method: "POST", url: "/api/v1/events", payload: first });
      // Sent again with one new event: the merge path must add only the new one.
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/events",
        payload: [...first, ev("d", "u2", "2025-06-02T00:00:00Z", "view", 5)],
      });
      expect(res.json()).toEqual({ inserted: 1, updated: 0, unchanged: 3 });
      const users = await db.query(
        "SELECT day, user_id, sum(events)::int AS events, sum(value) AS value FROM usage_user_days GROUP BY 1, 2 ORDER BY day, user_id",
      );
      expect(users).toEqual([
        { day: "2025-06-01", user_id: "", events: 1, value: 1 },
        { day: "2025-06-01", user_id: "u1", events: 2, value: 5 },
        { day: "2025-06-02", user_id: "u2", events: 1, value: 5 },
      ]);
      const features = await db.query(
        "SELECT day, name, sum(events)::int AS events, sum(value) AS value FROM usage_feature_days GROUP BY 1, 2 ORDER BY day, name",
      );
      expect(features).toEqual([
        { day: "2025-06-01", name: "export", events: 1, value: 1 },
        { day: "2025-06-01", name: "view", events: 2, value: 5 },
        { day: "2025-06-02", name: "view", events: 1, value: 5 },
      ]);
    } finally {
      await app.close();
      await db.close();
    }
  });
});
