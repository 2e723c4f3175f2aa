import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, importFile } from "../src/ingest/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { SAMPLE } from "./helpers/fixtures.js";
import { snapshot, testServer } from "./helpers/server.js";

/** Each defect the outside tester found in ingest, as they reproduced it. */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "keepwell-defects-"));
const ticket = (over: Record<string, unknown>) => ({
  id: "t_x",
  account: "acc_1",
  opened_at: "2025-07-01T00:00:00Z",
  status: "open",
  ...over,
});
/** An event whose properties nest `levels` deep, as JSON text (JSON.stringify itself overflows on it). */
function deepEvent(id: string, levels: number): string {
  const head = JSON.stringify({ id, account: "acc_1", ts: "2025-06-02T10:00:00Z", name: "x" }).slice(0, -1);
  return `${head},"properties":${'{"a":'.repeat(levels)}{}${"}".repeat(levels)}}`;
}

describe(`ingest defects stay fixed (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await testDb();
    app = await testServer(db);
    for (const e of ["accounts", "events"] as const)
      expect((await app.inject({ method: "POST", url: `/api/v1/${e}`, payload: SAMPLE[e] })).statusCode).toBe(
        200,
      );
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  async function rejects(entity: string, payload: unknown, record: number, field: string, message?: RegExp) {
    const before = await snapshot(db);
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/${entity}`,
      headers: { "content-type": "application/json" },
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
    const detail = res
      .json()
      .error.details.find((d: { record: number; field: string }) => d.record === record && d.field === field);
    expect(detail, res.body.slice(0, 300)).toBeDefined();
    if (message) expect(detail.message).toMatch(message);
    expect(await snapshot(db)).toEqual(before);
  }

  it("a NUL byte in text, and times in year 0 or past 9999, are 400s naming the field", async () => {
    await rejects("tickets", [ticket({ subject: "a\u0000b" })], 0, "subject", /NUL/);
    await rejects(
      "tickets",
      [ticket({}), ticket({ id: "t_y", opened_at: "0000-01-01T00:00:00Z" })],
      1,
      "opened_at",
      /1900/,
    );
    await rejects("tickets", [ticket({ opened_at: "9999-12-31T23:59:59-14:00" })], 0, "opened_at", /9999/);
    await rejects("accounts", [{ id: "acc_z", name: "Z", renewal_date: "0000-01-01" }], 0, "renewal_date");
  });

  it("event properties nested 10,000 deep are a 400 naming properties, by the API and the CLI", async () => {
    const event = deepEvent("e_deep", 10_000);
    await rejects("events", `[${event}]`, 0, "properties", /nested more than 32/);
    const file = join(dir, "deep.ndjson");
    writeFileSync(file, `${event}\n`);
    await expect(importFile(db, ENTITIES.events, file)).rejects.toMatchObject({
      details: [expect.objectContaining({ record: 0, line: 1, field: "properties" })],
    });
  });

  it("an event id re-sent under another account is refused, naming the record; the same account is a no-op", async () => {
    const e1 = SAMPLE.events[0]!;
    await rejects(
      "events",
      [
        { ...e1, id: "e_new" },
        { ...e1, account: "acc_2" },
      ],
      1,
      "id",
      /already stored under account "acc_1"/,
    );
    const again = await app.inject({ method: "POST", url: "/api/v1/events", payload: [e1] });
    expect(again.json()).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  });

  it("required text fields refuse blank values as required, with or without other errors", async () => {
    await rejects("accounts", [{ id: "acc_b", name: "" }], 0, "name", /is required/);
    await rejects("accounts", [{ id: "acc_b", name: "   " }], 0, "name", /is required/);
    await rejects("accounts", [{ id: "acc_b", name: " ", seats: -1 }], 0, "name", /is required/);
    await rejects(
      "events",
      [{ id: "e_b", account: "acc_1", ts: "2025-06-02T10:00:00Z", name: "\t" }],
      0,
      "name",
      /is required/,
    );
    await rejects(
      "metrics",
      [{ account: "acc_1", date: "2025-06-01", name: " ", value: 1 }],
      0,
      "name",
      /is required/,
    );
    await rejects(
      "invoices",
      [{ id: "i_b", account: "acc_1", issued_at: "2025-05-01", amount: 1, currency: " ", status: "paid" }],
      0,
      "currency",
      /is required/,
    );
  });

  it("CSV: prototype-named columns are ignored, hex numbers and duplicated headers refused", async () => {
    const csv = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const ok = await importFile(
      db,
      ENTITIES.accounts,
      csv("proto.csv", "id,name,constructor,toString,__proto__\nacc_p,Proto,1,2,3\n"),
    );
    expect(ok.inserted).toBe(1);
    expect(ok.ignoredColumns).toEqual(["constructor", "toString", "__proto__"]);
    await expect(
      importFile(db, ENTITIES.accounts, csv("hex.csv", "id,name,seats\nacc_h,Hex,0x1F\n")),
    ).rejects.toMatchObject({
      details: [
        expect.objectContaining({
          record: 0,
          line: 2,
          field: "seats",
          message: expect.stringMatching(/decimal/),
        }),
      ],
    });
    await expect(
      importFile(db, ENTITIES.accounts, csv("dup.csv", "id,name,name\nacc_d,A,B\n")),
    ).rejects.toMatchObject({
      details: [expect.objectContaining({ line: 1, field: "name", message: expect.stringMatching(/twice/) })],
    });
  });

  it("NDJSON and JSON files with a UTF-8 BOM import like any other", async () => {
    const nd = join(dir, "bom.ndjson");
    writeFileSync(nd, `\uFEFF${JSON.stringify({ id: "acc_bom1", name: "Bom" })}\n`);
    expect((await importFile(db, ENTITIES.accounts, nd)).inserted).toBe(1);
    const js = join(dir, "bom.json");
    writeFileSync(js, `\uFEFF${JSON.stringify([{ id: "acc_bom2", name: "Bom" }])}`);
    expect((await importFile(db, ENTITIES.accounts, js)).inserted).toBe(1);
  });

  it.skipIf(storeName !== "pglite")(
    "the CLI prints the record and field (not a stack overflow) for a deep object",
    async () => {
      const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
      const data = join(dir, "cli-store");
      const { DATABASE_URL: _u, KEEPWELL_DATA_DIR: _d, ...env } = process.env;
      // One process, an empty store: every record's account is unknown too, and both are named.
      const events = join(dir, "cli-deep.ndjson");
      const line = { id: "e_cli", account: "acc_1", ts: "2025-06-02T10:00:00Z", name: "x" };
      writeFileSync(events, `${JSON.stringify(line)}\n${deepEvent("e_cli2", 10_000)}\n`);
      const out = await run("node", [cli, "--data-dir", data, "import", "events", events], { env }).catch(
        (e) => e,
      );
      expect(out.code).toBe(1);
      expect(out.stderr).toMatch(/line 2, properties: is nested more than 32 levels deep/);
      expect(out.stderr).toMatch(/line 1, account: unknown account "acc_1"/);
      expect(out.stderr).not.toMatch(/call stack|transaction is aborted/);
    },
  );
});
