import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, ENTITY_NAMES, importFile } from "../src/ingest/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { SAMPLE } from "./helpers/fixtures.js";
import { snapshot } from "./helpers/server.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "keepwell-files-"));

/** Writes the sample as CSV: lists as `a;b`, objects as JSON, quotes doubled. */
function toCsv(records: Record<string, unknown>[]): string {
  const headers = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => {
    if (v === undefined || v === null) return "";
    const s = Array.isArray(v) ? v.join(";") : typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [headers.join(","), ...records.map((r) => headers.map((h) => cell(r[h])).join(","))].join("\n");
}

function writeAll(kind: "csv" | "ndjson"): Record<string, string> {
  const files: Record<string, string> = {};
  for (const e of ENTITY_NAMES) {
    const path = join(dir, `${e}.${kind}`);
    writeFileSync(
      path,
      kind === "csv" ? toCsv(SAMPLE[e]) : SAMPLE[e].map((r) => JSON.stringify(r)).join("\n"),
    );
    files[e] = path;
  }
  return files;
}

describe(`file import (${storeName})`, () => {
  let viaCsv: Db;
  let viaNdjson: Db;
  beforeAll(async () => {
    viaCsv = await testDb();
    viaNdjson = await testDb();
  });
  afterAll(async () => {
    await viaCsv.close();
    await viaNdjson.close();
  });

  it("a CSV and an NDJSON file of the same data give the same store", async () => {
    const csv = writeAll("csv");
    const ndjson = writeAll("ndjson");
    for (const e of ENTITY_NAMES) {
      const a = await importFile(viaCsv, ENTITIES[e], csv[e]!);
      const b = await importFile(viaNdjson, ENTITIES[e], ndjson[e]!);
      expect(a.inserted, e).toBe(SAMPLE[e].length);
      expect(b.inserted, e).toBe(SAMPLE[e].length);
    }
    const s = await snapshot(viaCsv);
    expect(s.tickets).toHaveLength(1);
    expect(s).toEqual(await snapshot(viaNdjson));
  });

  it("reads lists written as JSON or as a;b in a CSV cell, and reports the CSV line of a bad row", async () => {
    const path = join(dir, "meetings-mixed.csv");
    writeFileSync(
      path,
      'id,account,kind,scheduled_at,status,attendees\nm_10,acc_1,qbr,2025-01-01T00:00:00Z,held,"[""c_1"",""c_2""]"\nm_11,acc_1,check_in,2025-01-02T00:00:00Z,held,c_1; c_2\nm_12,acc_1,lunch,2025-01-03T00:00:00Z,held,\n',
    );
    await expect(importFile(viaCsv, ENTITIES.meetings, path)).rejects.toMatchObject({
      details: [{ record: 2, line: 4, field: "kind", message: expect.stringMatching(/one of qbr/) }],
    });
    writeFileSync(
      path,
      'id,account,kind,scheduled_at,status,attendees\nm_10,acc_1,qbr,2025-01-01T00:00:00Z,held,"[""c_1"",""c_2""]"\nm_11,acc_1,check_in,2025-01-02T00:00:00Z,held,c_1; c_2\n',
    );
    await importFile(viaCsv, ENTITIES.meetings, path);
    const rows = await viaCsv.query(
      "SELECT id, attendees FROM meetings WHERE id IN ('m_10','m_11') ORDER BY id",
    );
    expect(rows).toEqual([
      { id: "m_10", attendees: ["c_1", "c_2"] },
      { id: "m_11", attendees: ["c_1", "c_2"] },
    ]);
  });

  it("the worker-thread path (large files) gives the same results and the same errors", async () => {
    const path = join(dir, "events-parallel.ndjson");
    const events = Array.from({ length: 2500 }, (_, i) => ({
      id: `p_${i}`,
      account: "acc_1",
      user: `u${i % 7}`,
      ts: "2025-07-01T00:00:00Z",
      name: "view",
    }));
    writeFileSync(path, events.map((e) => JSON.stringify(e)).join("\n"));
    const first = await importFile(viaNdjson, ENTITIES.events, path, { parallelFrom: 0, batchSize: 1000 });
    expect(first).toMatchObject({ inserted: 2500, updated: 0, unchanged: 0 });
    const again = await importFile(viaNdjson, ENTITIES.events, path, { parallelFrom: 0, batchSize: 1000 });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2500 });
    const [sum] = await viaNdjson.query<{ n: number }>(
      "SELECT sum(events)::int AS n FROM usage_user_days WHERE day = '2025-07-01'",
    );
    expect(sum?.n).toBe(2500);

    writeFileSync(
      path,
      [...events.slice(0, 1500), { ...events[0], id: "bad", account: "acc_zz" }]
        .map((e) => JSON.stringify(e))
        .join("\n"),
    );
    const before = await snapshot(viaNdjson);
    await expect(
      importFile(viaNdjson, ENTITIES.events, path, { parallelFrom: 0, batchSize: 1000 }),
    ).rejects.toMatchObject({
      code: "validation_failed",
      details: [{ record: 1500, line: 1501, field: "account", message: 'unknown account "acc_zz"' }],
    });
    expect(await snapshot(viaNdjson)).toEqual(before);
  });

  it("an empty file is rejected", async () => {
    const path = join(dir, "empty.ndjson");
    writeFileSync(path, "");
    await expect(importFile(viaCsv, ENTITIES.tickets, path)).rejects.toThrow(/empty/);
  });
});

/** The CLI as a person runs it: a separate process on its own store. */
describe.skipIf(storeName !== "pglite")("keepwell import (command)", () => {
  const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
  const dataDir = join(dir, "store");

  it("prints the three counts, as JSON with --json, and exits non-zero on bad input", async () => {
    const path = join(dir, "cli-accounts.csv");
    writeFileSync(path, toCsv(SAMPLE.accounts));
    const first = await run("node", [cli, "--data-dir", dataDir, "import", "accounts", path]);
    expect(first.stdout).toMatch(/accounts: 2 inserted, 0 updated, 0 unchanged/);
    const again = await run("node", [cli, "--data-dir", dataDir, "import", "accounts", path, "--json"]);
    expect(JSON.parse(again.stdout)).toEqual({ inserted: 0, updated: 0, unchanged: 2 });

    const bad = join(dir, "cli-bad.ndjson");
    writeFileSync(
      bad,
      '{"id":"t1","account":"acc_1","opened_at":"2025-01-01","status":"open"}\n{"id":"t2","account":"acc_9","opened_at":"2025-01-01","status":"open"}\n',
    );
    const err = await run("node", [cli, "--data-dir", dataDir, "import", "tickets", bad, "--json"]).catch(
      (e) => e,
    );
    expect(err.code).toBe(1);
    expect(JSON.parse(err.stdout).error.details).toEqual([
      { record: 1, line: 2, field: "account", message: 'unknown account "acc_9"' },
    ]);
    const human = await run("node", [cli, "--data-dir", dataDir, "import", "tickets", bad]).catch((e) => e);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/line 2, account: unknown account "acc_9"/);
  }, 120_000);
});
