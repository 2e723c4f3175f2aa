import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { DEFAULT_PLAYBOOKS_YAML, parsePlaybooksYaml } from "../src/domain/playbooks/index.js";
import { activeScorecard, backfill } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";
import { FOLLOW_UP_YAML } from "./helpers/plays-world.js";
import { addUser, sessionHeaders } from "./helpers/team.js";

type Json = Record<string, unknown>;

describe(`the playbooks API (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let admin: Record<string, string>;
  let csm: Record<string, string>;
  let viewer: Record<string, string>;
  const file = join(mkdtempSync(join(tmpdir(), "keepwell-playbooks-api-")), "keepwell.playbooks.yaml");

  const put = (payload: string | Json, contentType = "application/json", headers = admin) =>
    app.inject({
      method: "PUT",
      url: "/api/v1/playbooks",
      headers: { ...headers, "content-type": contentType },
      payload,
    });
  const post = (url: string, payload?: string | Json, headers = admin, contentType = "application/json") =>
    app.inject({
      method: "POST",
      url,
      headers: { ...headers, ...(payload === undefined ? {} : { "content-type": contentType }) },
      ...(payload === undefined ? {} : { payload }),
    });
  const audits = () =>
    db.query<{ action: string; actor_label: string; after: Json }>(
      "SELECT action, actor_label, after FROM audit_log WHERE action = 'playbooks.changed' ORDER BY id",
    );

  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: 12, months: 8, seed: "playbooks-api", end: "2025-07-01" });
    await backfill(db, await activeScorecard(db), "2025-01-01", "2025-06-01");
    app = await buildServer({
      db,
      config: { bodyLimit: 1 << 20, logLevel: "silent", playbooksFile: file },
      clock: () => new Date("2025-07-01T09:00:00Z"),
    });
    const adminUser = await addUser(db, "admin", { email: "admin@team.example" });
    admin = await sessionHeaders(db, adminUser);
    csm = await sessionHeaders(db, await addUser(db, "csm"));
    viewer = await sessionHeaders(db, await addUser(db, "viewer"));
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("answers the default playbooks as version 1, with the default file's text", async () => {
    const res = await app.inject({ url: "/api/v1/playbooks", headers: viewer });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: 1, source: "default", yaml: DEFAULT_PLAYBOOKS_YAML });
    expect((body.playbooks.playbooks as Json[]).map((p) => p.key)).toEqual([
      "critical",
      "at_risk",
      "watch",
      "competitive_win_back",
      "champion_change",
      "healthy_nurture",
    ]);
    expect(body.versions).toEqual([{ version: 1, source: "default", created_at: expect.any(String) }]);
  });

  it("takes YAML: a new version, audited, written to the playbooks file; the same again changes nothing", async () => {
    const res = await put(FOLLOW_UP_YAML, "text/yaml");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ version: 2, source: "api" });
    expect((body.playbooks.playbooks as Json[]).map((p) => p.key)).toEqual(["follow_up"]);
    expect(body.versions.map((v: Json) => v.version)).toEqual([2, 1]);
    // The file now holds the same playbooks, and GET answers its text.
    expect(existsSync(file)).toBe(true);
    const written = parsePlaybooksYaml(readFileSync(file, "utf8"));
    expect(written.ok && written.value.playbooks.map((p) => [p.key, p.due])).toEqual([["follow_up", "14d"]]);
    expect(body.yaml).toBe(readFileSync(file, "utf8"));
    expect(await audits()).toEqual([
      {
        action: "playbooks.changed",
        actor_label: "admin@team.example",
        after: expect.objectContaining({ version: 2 }),
      },
    ]);

    const again = await put({ yaml: FOLLOW_UP_YAML });
    expect(again.json().version).toBe(2);
    expect(await audits()).toHaveLength(1);
  });

  it("takes the JSON definition too", async () => {
    const current = (await app.inject({ url: "/api/v1/playbooks", headers: admin })).json().playbooks;
    const changed = {
      ...current,
      playbooks: (current.playbooks as Json[]).map((p) => ({ ...p, due: "7d" })),
    };
    const res = await put(changed);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(3);
    expect(res.json().playbooks.playbooks[0].due).toBe("7d");
    expect(readFileSync(file, "utf8")).toMatch(/due: 7d/);
  });

  it("refuses bad playbooks with a 400 naming each field (and its line), and keeps the active version", async () => {
    const bad = FOLLOW_UP_YAML.replace("due: 14d", "due: soon").replace("tier: 1", "tier: high");
    const res = await put(bad, "application/yaml");
    expect(res.statusCode).toBe(400);
    const details = res.json().error.details as { field: string; message: string; line?: number }[];
    expect(details.map((d) => d.field).sort()).toEqual(["playbooks[0].due", "playbooks[0].tier"]);
    const due = details.find((d) => d.field.endsWith("due"));
    expect(due?.line).toBe(FOLLOW_UP_YAML.split("\n").findIndex((l) => l.includes("due: 14d")) + 1);
    expect((await put({ playbooks: "none" })).statusCode).toBe(400);
    expect((await put("playbooks: [", "text/yaml")).statusCode).toBe(400);
    expect((await app.inject({ url: "/api/v1/playbooks", headers: admin })).json().version).toBe(3);
  });

  it("lets only those who change settings replace the playbooks; anyone may read, check and simulate", async () => {
    expect((await put(FOLLOW_UP_YAML, "text/yaml", csm)).statusCode).toBe(403);
    expect((await put(FOLLOW_UP_YAML, "text/yaml", viewer)).statusCode).toBe(403);
    expect((await post("/api/v1/playbooks/check", FOLLOW_UP_YAML, viewer, "text/yaml")).json()).toEqual({
      ok: true,
    });
  });

  it("checks playbooks without saving them: always 200, every problem with its path", async () => {
    const ok = await post("/api/v1/playbooks/check", { yaml: FOLLOW_UP_YAML });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
    const named = FOLLOW_UP_YAML.replace("owner: owner\n", "owner: { user: nobody@team.example }\n");
    const r = (await post("/api/v1/playbooks/check", named, admin, "text/yaml")).json();
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([
      { path: "playbooks[0].owner.user", message: "nobody@team.example is not an active user" },
    ]);
    const bad = (await post("/api/v1/playbooks/check", { playbooks: [{ key: "Bad Key" }] })).json();
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e: Json) => e.path)).toContain("playbooks[0].key");
    const none = await post("/api/v1/playbooks/check");
    expect(none.statusCode).toBe(200);
    expect(none.json().ok).toBe(false);
    expect((await app.inject({ url: "/api/v1/playbooks", headers: admin })).json().version).toBe(3);
  });

  it("simulates playbooks over the stored history: the edited ones, or the active ones", async () => {
    const res = await post("/api/v1/playbooks/simulate", {
      yaml: FOLLOW_UP_YAML,
      from: "2025-02-01",
      to: "2025-06-01",
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ from: "2025-02-01", to: "2025-06-01" });
    for (const key of [
      "plays_per_week",
      "plays_per_owner_per_week",
      "churners_reached_share",
      "churners_reached_60d_share",
      "median_days_ahead",
      "plays_on_churners_share",
    ])
      expect(report, key).toHaveProperty(key);
    // Every scored account triggers the follow-up playbook, once (it stays open).
    expect(report.plays_opened).toBe(report.accounts);
    expect(report.accounts).toBeGreaterThan(5);
    const active = (
      await post("/api/v1/playbooks/simulate", { from: "2025-02-01", to: "2025-06-01" }, viewer)
    ).json();
    expect(active.plays_opened).toBe(report.plays_opened);
    // Nothing was written.
    expect((await db.query("SELECT 1 FROM plays")).length).toBe(0);
  });

  it("refuses a simulation's bad dates or bad playbooks with a 400 naming the field", async () => {
    const fields = async (body?: Json) => {
      const res = await post("/api/v1/playbooks/simulate", body);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json().error.details as { field: string }[]).map((d) => d.field).sort();
    };
    expect(await fields()).toEqual(["from", "to"]);
    expect(await fields({ from: "2025-02-01" })).toEqual(["to"]);
    expect(await fields({ from: "2025-06-01", to: "2025-02-01" })).toEqual(["to"]);
    expect(await fields({ from: "Feb", to: "2025-06-01" })).toEqual(["from"]);
    expect(await fields({ from: "2020-02-01", to: "2020-06-01" })).toEqual(["from"]);
    expect(
      await fields({
        yaml: FOLLOW_UP_YAML.replace("due: 14d", "due: soon"),
        from: "2025-02-01",
        to: "2025-06-01",
      }),
    ).toEqual(["playbooks[0].due"]);
  });
});
