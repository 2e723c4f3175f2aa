import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { testServer } from "./helpers/server.js";

describe(`read API (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  const accounts = Array.from({ length: 23 }, (_, i) => ({
    id: `acc_${String(i).padStart(2, "0")}`,
    name: `Company ${String.fromCharCode(65 + (i % 26))}${i}`,
    segment: i % 3 === 0 ? "enterprise" : "smb",
    owner: i % 2 ? "Ann" : "Bo",
    arr: i % 5 === 0 ? undefined : 1000 * ((i * 7) % 11),
    status: i === 4 ? "churned" : "active",
  }));

  beforeAll(async () => {
    db = await testDb();
    app = await testServer(db);
    await app.inject({ method: "POST", url: "/api/v1/accounts", payload: accounts });
    const events = Array.from({ length: 7 }, (_, i) => ({
      id: `e${i}`,
      account: "acc_01",
      ts: `2025-01-0${i + 1}T00:00:00Z`,
      name: "login",
    }));
    await app.inject({ method: "POST", url: "/api/v1/events", payload: events });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  async function all(url: string): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const res = await app.inject({
        method: "GET",
        url: `${url}${url.includes("?") ? "&" : "?"}limit=4${cursor ? `&cursor=${cursor}` : ""}`,
      });
      expect(res.statusCode, res.body).toBe(200);
      const body: { data: Record<string, unknown>[]; next_cursor: string | null } = res.json();
      out.push(...body.data);
      cursor = body.next_cursor;
    } while (cursor);
    return out;
  }

  it("pages through every account exactly once, in the asked order, with gaps in the sort column", async () => {
    const byArr = await all("/api/v1/accounts?sort=-arr");
    expect(byArr).toHaveLength(23);
    expect(new Set(byArr.map((a) => a.id)).size).toBe(23);
    const arrs = byArr.map((a) => (a.arr as number | null) ?? -1);
    expect(arrs).toEqual([...arrs].sort((a, b) => b - a));
    const byName = await all("/api/v1/accounts?sort=name");
    expect(byName.map((a) => a.name)).toEqual(accounts.map((a) => a.name).sort());
  });

  it("filters by segment, owner and status", async () => {
    const res = await all("/api/v1/accounts?segment=enterprise&owner=Bo");
    expect(res.map((a) => a.id).sort()).toEqual(
      accounts.filter((a) => a.segment === "enterprise" && a.owner === "Bo").map((a) => a.id),
    );
    const churned = await all("/api/v1/accounts?status=churned");
    expect(churned.map((a) => a.id)).toEqual(["acc_04"]);
  });

  it("rejects an unknown sort and a forged cursor", async () => {
    const sort = await app.inject({ method: "GET", url: "/api/v1/accounts?sort=colour" });
    expect(sort.statusCode).toBe(400);
    expect(sort.json().error.details[0].field).toBe("sort");
    const cursor = await app.inject({ method: "GET", url: "/api/v1/accounts?cursor=garbage" });
    expect(cursor.statusCode).toBe(400);
  });

  it("lists an account's facts newest first, paged, and 404s an unknown account", async () => {
    const events = await all("/api/v1/events?account=acc_01");
    expect(events.map((e) => e.id)).toEqual(["e6", "e5", "e4", "e3", "e2", "e1", "e0"]);
    const none = await app.inject({ method: "GET", url: "/api/v1/events?account=acc_99" });
    expect(none.statusCode).toBe(404);
    const one = await app.inject({ method: "GET", url: "/api/v1/accounts/acc_99" });
    expect(one.statusCode).toBe(404);
    expect(one.json().error.code).toBe("not_found");
  });

  it("before any training: an empty list of models, and a 404 that says what to run for the report", async () => {
    const list = await app.inject({ method: "GET", url: "/api/v1/models" });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ data: [] });
    const report = await app.inject({ method: "GET", url: "/api/v1/model/report" });
    expect(report.statusCode).toBe(404);
    expect(report.json().error.message).toMatch(/keepwell train/);
    expect((await app.inject({ method: "GET", url: "/api/v1/model/forecast" })).statusCode).toBe(404);
  });

  it("serves health, the OpenAPI document and its UI", async () => {
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    const doc = (await app.inject({ method: "GET", url: "/docs/json" })).json();
    const ticketBody = doc.paths["/api/v1/tickets"].post.requestBody.content["application/json"].schema;
    expect(JSON.stringify(ticketBody)).toContain("opened_at");
    expect(doc.paths["/api/v1/accounts"].get).toBeDefined();
    expect((await app.inject({ method: "GET", url: "/docs/" })).statusCode).toBe(200);
  });
});
