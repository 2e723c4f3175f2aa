import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { SIGNAL_KINDS } from "../src/signals/kinds.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { adminKey } from "./helpers/server.js";
import { ACCOUNTS, ago, FINDINGS, NORTHWIND, NOW, SIGNALS, T1 } from "./helpers/signals-fixture.js";
import { seedFindings, seedSignals } from "./helpers/signals-seed.js";
import { addUser, sessionHeaders } from "./helpers/team.js";

// biome-ignore lint/suspicious/noExplicitAny: answers read loosely, asserted field by field
type Json = Record<string, any>;

describe(`the signals API (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let auth: Record<string, string>;
  const get = async (url: string, headers = auth) => app.inject({ method: "GET", url, headers });
  const ids = (items: Json[]) => items.map((s) => s.id);

  beforeAll(async () => {
    db = await testDb();
    for (const a of ACCOUNTS)
      await db.query("INSERT INTO accounts (id, name, arr, status) VALUES ($1, $2, $3, 'active')", [
        a.id,
        a.name,
        a.arr,
      ]);
    await db.query(
      "INSERT INTO contacts (id, account, name, role) VALUES ('C1', 'A1', 'Ravi Martin', 'champion')",
    );
    await seedSignals(db, SIGNALS, NOW);
    await seedFindings(db, FINDINGS);
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" }, clock: () => NOW });
    auth = { authorization: `Bearer ${await adminKey(db)}` };
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it("gives an account's active signals (most severe first) and those cleared in the last 180 days", async () => {
    const res = await get("/api/v1/accounts/A1/signals");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(ids(body.active)).toEqual(["sig-10", "sig-4", "sig-1"]);
    // sig-6 cleared 200 days ago: off the page.
    expect(ids(body.recent)).toEqual(["sig-7"]);
    const silence = body.active[1];
    expect(silence).toEqual({
      id: "sig-4",
      kind: "stakeholder_silence",
      label: "stakeholder silence",
      account: { id: "A1", name: "Acme" },
      contact: { id: "C1", name: "Ravi Martin", role: "champion" },
      competitor: null,
      severity: "medium",
      first_seen: ago(45).toISOString(),
      last_seen: ago(1).toISOString(),
      occurrences: 1,
      active: true,
      cleared_at: null,
      summary: "champion Ravi Martin silent",
      evidence: [
        {
          text: "champion Ravi Martin: last two-way contact 74 days ago; usual gap 9 days",
          values: { days_silent: 74, usual_gap_days: 9 },
        },
      ],
    });
    const mention = body.active[2];
    expect(mention.competitor).toBe(NORTHWIND);
    expect(mention.occurrences).toBe(3);
    const [ev] = mention.evidence;
    expect(ev).toMatchObject({ entity: "tickets", id: "T1", date: "2025-05-30", text: T1 });
    expect(ev.text.slice(ev.match[0], ev.match[1])).toBe(NORTHWIND);
    expect(body.recent[0]).toMatchObject({ active: false, cleared_at: ago(20).toISOString() });
  });

  it("reads stored evidence leniently and answers 404 for an unknown account", async () => {
    const body = (await get("/api/v1/accounts/A4/signals")).json();
    expect(ids(body.active)).toEqual(["sig-8", "sig-9"]);
    expect(body.active[0].evidence).toEqual([
      { entity: "notes", id: "N8", date: "2025-05-31", text: "We are trialling another tool." },
    ]);
    expect((await get("/api/v1/accounts/A5/signals")).json()).toEqual({ active: [], recent: [] });
    const missing = await get("/api/v1/accounts/nope/signals");
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toContain("nope");
  });

  it("lists signals newest first (last seen, then id), a page at a time, active by default", async () => {
    const active = ["sig-8", "sig-4", "sig-1", "sig-9", "sig-5", "sig-2", "sig-10"];
    const walk = async (q: string, limit: number) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(`/api/v1/signals?${q}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        expect(body.items.length).toBeLessThanOrEqual(limit);
        seen.push(...ids(body.items));
        cursor = body.next_cursor;
        pages++;
      } while (cursor && pages < 50);
      return { seen, pages };
    };
    expect(await walk("", 4)).toEqual({ seen: active, pages: 2 });
    expect((await walk("active=true", 1)).seen).toEqual(active);
    expect((await walk("active=false", 2)).seen).toEqual(["sig-7", "sig-3", "sig-6"]);
    expect((await walk("active=all", 3)).seen).toEqual([...active, "sig-7", "sig-3", "sig-6"]);
    expect((await walk("kind=competitor_mention,critical_dissatisfaction", 10)).seen).toEqual([
      "sig-1",
      "sig-9",
      "sig-5",
      "sig-2",
    ]);
    expect((await walk("account=A1&active=all", 10)).seen).toEqual([
      "sig-4",
      "sig-1",
      "sig-10",
      "sig-7",
      "sig-6",
    ]);
    const one = (await get("/api/v1/signals?kind=evaluating_alternatives")).json();
    expect(one.next_cursor).toBeNull();
    expect(one.items[0]).toMatchObject({ id: "sig-8", account: { id: "A4", name: "Delta" }, contact: null });
  });

  it("refuses a bad kind (naming kind and the kinds allowed), a bad cursor and a bad limit", async () => {
    const bad = await get("/api/v1/signals?kind=competitor_mention,gossip");
    expect(bad.statusCode).toBe(400);
    const detail = bad.json().error.details.find((d: Json) => d.field === "kind");
    expect(detail.message).toContain(SIGNAL_KINDS.join(", "));
    const cursor = await get("/api/v1/signals?cursor=not-a-cursor");
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error.details[0].field).toBe("cursor");
    const notATime = Buffer.from(JSON.stringify(["yesterday", "sig-1"])).toString("base64url");
    expect((await get(`/api/v1/signals?cursor=${notATime}`)).statusCode).toBe(400);
    const limit = await get("/api/v1/signals?limit=0");
    expect(limit.statusCode).toBe(400);
    expect(limit.json().error.details[0].field).toBe("limit");
    expect((await get("/api/v1/signals?active=maybe")).json().error.details[0].field).toBe("active");
  });

  it("sums accounts and ARR per kind now, 30 and 90 days ago, and the competitive landscape", async () => {
    const res = await get("/api/v1/signals/summary");
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.as_of).toBe(NOW.toISOString());
    expect(s.total).toEqual({ accounts: 3, arr: 150_000 });
    const kinds = Object.fromEntries(s.kinds.map((k: Json) => [k.kind, k]));
    expect(Object.keys(kinds)).toEqual([...SIGNAL_KINDS]);
    expect(kinds.competitor_mention).toEqual({
      kind: "competitor_mention",
      label: "competitor mentioned",
      accounts: 3,
      arr: 150_000,
      signals: 3,
      accounts_30d_ago: 1,
      accounts_90d_ago: 2,
      arr_30d_ago: 100_000,
      arr_90d_ago: 120_000,
    });
    const brief = (k: string) => {
      const { accounts, accounts_30d_ago, accounts_90d_ago, arr } = kinds[k];
      return [accounts, accounts_30d_ago, accounts_90d_ago, arr];
    };
    expect(brief("stakeholder_silence")).toEqual([1, 1, 0, 100_000]);
    expect(brief("critical_dissatisfaction")).toEqual([1, 0, 0, 50_000]);
    expect(brief("negotiation_friction")).toEqual([0, 1, 0, 0]);
    expect(brief("champion_departure")).toEqual([0, 0, 0, 0]);
    expect(brief("evaluating_alternatives")).toEqual([1, 0, 0, 0]);
    expect(brief("feature_parity_request")).toEqual([1, 0, 0, 100_000]);

    expect(s.landscape.since).toBe(ago(180).toISOString());
    expect(s.landscape.competitors).toEqual([
      {
        competitor: NORTHWIND,
        accounts: 2,
        arr: 150_000,
        active_accounts: 2,
        mentions: 2,
        last_seen: ago(2).toISOString(),
        top_accounts: [
          { id: "A1", name: "Acme", arr: 100_000, active: true, last_seen: ago(2).toISOString() },
          { id: "A2", name: "Beta", arr: 50_000, active: true, last_seen: ago(5).toISOString() },
        ],
      },
      {
        competitor: "Contoso",
        accounts: 2,
        arr: 20_000,
        active_accounts: 1,
        mentions: 1,
        last_seen: ago(3).toISOString(),
        top_accounts: [
          { id: "A3", name: "Gamma", arr: 20_000, active: false, last_seen: ago(60).toISOString() },
          { id: "A4", name: "Delta", arr: null, active: true, last_seen: ago(3).toISOString() },
        ],
      },
    ]);
  });

  it("filters the portfolio by signal kind: accounts with an active signal of that kind", async () => {
    const names = async (q: string) => {
      const res = await get(`/api/v1/accounts?${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data.map((a: Json) => a.id);
    };
    expect(await names("signal=competitor_mention")).toEqual(["A1", "A2", "A4"]);
    expect(await names("signal=critical_dissatisfaction,evaluating_alternatives")).toEqual(["A2", "A4"]);
    // Cleared: A1's friction no longer counts.
    expect(await names("signal=negotiation_friction")).toEqual([]);
    expect(await names("signal=competitor_mention&q=Acme")).toEqual(["A1"]);
    expect(await names("signal=competitor_mention&sort=-arr&limit=2")).toEqual(["A1", "A2"]);
    expect(await names("")).toEqual(["A1", "A2", "A4", "A5", "A3"]);
    const bad = await get("/api/v1/accounts?signal=rumour");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ field: "signal" });
  });

  it("lets anyone who may read see signals, and no one without credentials", async () => {
    const viewer = await sessionHeaders(db, await addUser(db, "viewer"));
    expect((await get("/api/v1/signals/summary", viewer)).statusCode).toBe(200);
    expect((await get("/api/v1/accounts/A1/signals", viewer)).statusCode).toBe(200);
    expect((await get("/api/v1/signals", {})).statusCode).toBe(401);
  });
});
