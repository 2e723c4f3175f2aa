import { afterEach, describe, expect, it } from "vitest";
import { type Db, loadMigrations, migrate } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

describe(`store (${storeName})`, () => {
  let db: Db;
  afterEach(async () => db?.close());

  it("records every migration once and is safe to run twice", async () => {
    db = await testDb();
    const again = await migrate(db);
    expect(again).toEqual([]);
    const rows = await db.query<{ version: number }>(
      "SELECT version FROM keepwell_migrations ORDER BY version",
    );
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
  });

  it("returns numbers, dates and timestamps as the same JSON types on either store", async () => {
    db = await testDb();
    const [row] = await db.query(
      "SELECT 12.50::numeric AS n, 7::bigint AS b, DATE '2025-02-03' AS d, TIMESTAMPTZ '2025-02-03T04:05:06Z' AS t",
    );
    expect(row).toEqual({ n: 12.5, b: 7, d: "2025-02-03", t: "2025-02-03T04:05:06.000Z" });
  });

  it("bulk-loads text rows with awkward characters through withRows", async () => {
    db = await testDb();
    const rows = [
      ["a", "tab\there", null],
      ["b", "line\nbreak \\ back", "{x,y}"],
    ];
    const out = await db.withRows<{ id: string; t: string | null; arr: string[] | null }>(
      ["id", "t", "arr"],
      rows,
      (src) => `SELECT id, t, arr::text[] AS arr FROM ${src} ORDER BY id`,
    );
    expect(out).toEqual([
      { id: "a", t: "tab\there", arr: null },
      { id: "b", t: "line\nbreak \\ back", arr: ["x", "y"] },
    ]);
  });

  it("rolls a failed transaction back completely", async () => {
    db = await testDb();
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO accounts (id, name) VALUES ('a1', 'Acme')");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.query("SELECT id FROM accounts")).toEqual([]);
  });
});

describe("the PGlite data folder", () => {
  it("cannot be opened by a second process at once, and is free again once closed", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { openPglite } = await import("../src/store/index.js");
    const dir = mkdtempSync(join(tmpdir(), "keepwell-lock-"));
    // A live process (our parent) holds it.
    writeFileSync(join(dir, "keepwell.lock"), String(process.ppid));
    await expect(openPglite({ dataDir: dir })).rejects.toThrow(/in use by another Keepwell process/);
    // A lock left by a process that is gone is taken over.
    writeFileSync(join(dir, "keepwell.lock"), "999999");
    const db = await openPglite({ dataDir: dir });
    await db.close();
    const again = await openPglite({ dataDir: dir });
    await again.close();
  });
});
