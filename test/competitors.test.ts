import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, type Item, importRecords } from "../src/ingest/index.js";
import { checkCompetitors, listCompetitors } from "../src/signals/competitors.js";
import { type Db, openPglite } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { testServer } from "./helpers/server.js";

const items = (values: Record<string, unknown>[]): Item[] =>
  values.map((value, record) => ({ record, value }));

describe("checkCompetitors", () => {
  const fields = (input: unknown) => {
    try {
      checkCompetitors(input);
      return [];
    } catch (err) {
      return (err as { details: { field: string }[] }).details.map((d) => d.field);
    }
  };

  it("accepts names and aliases, trimmed, aliases optional", () => {
    expect(
      checkCompetitors([{ name: " Northwind Analytics ", aliases: [" Northwind"] }, { name: "Contoso" }]),
    ).toEqual([
      { name: "Northwind Analytics", aliases: ["Northwind"] },
      { name: "Contoso", aliases: [] },
    ]);
  });

  it("names each bad field", () => {
    expect(fields({ name: "x" })).toEqual(["competitors"]);
    expect(fields([{ aliases: [] }])).toEqual(["[0].name"]);
    expect(fields([{ name: "  " }])).toEqual(["[0].name"]);
    expect(fields([{ name: "x".repeat(201) }])).toEqual(["[0].name"]);
    expect(fields([{ name: "A", aliases: ["ok", ""] }])).toEqual(["[0].aliases[1]"]);
    expect(fields([{ name: "A", aliases: "B" }])).toEqual(["[0].aliases"]);
    expect(fields([{ name: "A", colour: "red" }])).toEqual(["[0].colour"]);
    expect(fields([{ name: "A\u0000" }])).toEqual(["[0].name"]);
    expect(fields(["A"])).toEqual(["[0]"]);
  });

  it("keeps names and aliases unique ignoring case, across competitors", () => {
    expect(fields([{ name: "Northwind" }, { name: "northwind" }])).toEqual(["[1].name"]);
    expect(
      fields([
        { name: "Northwind Analytics", aliases: ["NW"] },
        { name: "Contoso", aliases: ["nw"] },
      ]),
    ).toEqual(["[1].aliases[0]"]);
    expect(fields([{ name: "Acme", aliases: ["ACME"] }])).toEqual(["[0].aliases[0]"]);
  });

  it("allows at most 200 competitors", () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `C${i}` }));
    expect(fields(many(200))).toEqual([]);
    expect(fields(many(201))).toEqual(["competitors"]);
  });
});

describe(`GET/PUT /api/v1/competitors (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await testDb();
    app = await testServer(db);
    await importRecords(db, ENTITIES.accounts, [items([{ id: "acc_1", name: "One" }])]);
    await importRecords(db, ENTITIES.notes, [
      items([
        {
          id: "n1",
          account: "acc_1",
          ts: "2025-01-02T00:00:00Z",
          channel: "email",
          text: "We are trialling Contoso.",
        },
      ]),
    ]);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("replaces the list, audits it, and reads the stored text again", async () => {
    expect((await app.inject({ method: "GET", url: "/api/v1/competitors" })).json()).toEqual([]);
    const put = await app.inject({
      method: "PUT",
      url: "/api/v1/competitors",
      payload: [
        { name: "Contoso", aliases: ["Contoso CRM"] },
        { name: "Northwind Analytics", aliases: ["Northwind"] },
      ],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toEqual([
      { name: "Contoso", aliases: ["Contoso CRM"] },
      { name: "Northwind Analytics", aliases: ["Northwind"] },
    ]);
    expect((await app.inject({ method: "GET", url: "/api/v1/competitors" })).json()).toEqual(put.json());
    const found = await db.query<{ kind: string; competitor: string }>(
      "SELECT kind, competitor FROM text_findings WHERE record_id = 'n1' ORDER BY kind",
    );
    expect(found).toEqual([
      { kind: "competitor_mention", competitor: "Contoso" },
      { kind: "evaluating_alternatives", competitor: "Contoso" },
    ]);
    const [entry] = await db.query<{ action: string; after: unknown }>(
      "SELECT action, after FROM audit_log WHERE action = 'competitors.set' ORDER BY id DESC LIMIT 1",
    );
    expect(entry).toEqual({ action: "competitors.set", after: put.json() });
  });

  it("accepts {competitors: [...]} and drops removed competitors' findings", async () => {
    const put = await app.inject({
      method: "PUT",
      url: "/api/v1/competitors",
      payload: { competitors: [{ name: "Northwind Analytics", aliases: [] }] },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(
      await db.query("SELECT kind FROM text_findings WHERE record_id = 'n1' AND competitor IS NOT NULL"),
    ).toEqual([]);
  });

  it("rejects a bad list with 400 naming the field, and changes nothing", async () => {
    const before = await listCompetitors(db);
    const res = await app.inject({
      method: "PUT",
      url: "/api/v1/competitors",
      payload: [{ name: "Fabrikam" }, { name: "FABRIKAM", aliases: [] }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: "validation_failed", details: [{ field: "[1].name" }] });
    const bare = await app.inject({ method: "PUT", url: "/api/v1/competitors", payload: { name: "x" } });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.details[0].field).toBe("competitors");
    expect(await listCompetitors(db)).toEqual(before);
  });
});

type Result = { code: number; stdout: string; stderr: string };

describe(`keepwell competitors (commands, ${storeName})`, () => {
  const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
  const dataDir = join(mkdtempSync(join(tmpdir(), "keepwell-competitors-")), ".keepwell");
  let pg: Db | undefined;
  let env: NodeJS.ProcessEnv;
  const keepwell = (...args: string[]): Promise<Result> =>
    promisify(execFile)("node", [cli, ...args], { env }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: Result) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (pg) return fn(pg);
    const db = await openPglite({ dataDir });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    const { DATABASE_URL: _u, KEEPWELL_DATABASE_SCHEMA: _s, ...rest } = process.env;
    env = { ...rest, KEEPWELL_DATA_DIR: dataDir };
    if (storeName === "postgres") {
      pg = await testDb();
      env.DATABASE_URL = process.env.TEST_DATABASE_URL;
      env.KEEPWELL_DATABASE_SCHEMA = pg.schema;
    }
    expect((await keepwell("competitors", "list")).code).toBe(0);
    await withDb(async (db) => {
      await importRecords(db, ENTITIES.accounts, [items([{ id: "acc_1", name: "One" }])]);
      await importRecords(db, ENTITIES.tickets, [
        items([
          {
            id: "t1",
            account: "acc_1",
            opened_at: "2025-01-02T00:00:00Z",
            status: "open",
            body: "NW does this natively.",
          },
        ]),
      ]);
    });
  });
  afterAll(async () => {
    await pg?.close();
  });

  it("set adds a competitor with its aliases and finds it in stored text; list shows it", async () => {
    const set = await keepwell(
      "competitors",
      "set",
      "Northwind Analytics",
      "--alias",
      "Northwind",
      "--alias",
      "NW",
    );
    expect(set, set.stderr).toMatchObject({ code: 0 });
    expect(set.stdout).toContain("Northwind Analytics  (also: Northwind, NW)");
    const list = await keepwell("competitors", "list", "--json");
    expect(JSON.parse(list.stdout)).toEqual([{ name: "Northwind Analytics", aliases: ["Northwind", "NW"] }]);
    const kinds = await withDb((db) => db.query("SELECT kind FROM text_findings ORDER BY kind"));
    expect(kinds).toEqual([{ kind: "competitor_mention" }, { kind: "feature_parity_request" }]);
  });

  it("set again replaces the aliases; a clash is refused naming the field", async () => {
    expect((await keepwell("competitors", "set", "Contoso")).code).toBe(0);
    const clash = await keepwell("competitors", "set", "Fabrikam", "--alias", "contoso");
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("aliases[0]");
    expect((await keepwell("competitors", "set", "northwind analytics", "--alias", "Northwind")).code).toBe(
      0,
    );
    const list = JSON.parse((await keepwell("competitors", "list", "--json")).stdout);
    expect(list).toEqual([
      { name: "Contoso", aliases: [] },
      { name: "northwind analytics", aliases: ["Northwind"] },
    ]);
  });

  it("remove drops a competitor and its findings; an unknown name fails", async () => {
    const gone = await keepwell("competitors", "remove", "NORTHWIND ANALYTICS");
    expect(gone, gone.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse((await keepwell("competitors", "list", "--json")).stdout)).toEqual([
      { name: "Contoso", aliases: [] },
    ]);
    expect(await withDb((db) => db.query("SELECT kind FROM text_findings"))).toEqual([]);
    const unknown = await keepwell("competitors", "remove", "Initech");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no competitor named");
  });
});
