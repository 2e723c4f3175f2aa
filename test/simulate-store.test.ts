import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CORE_FEATURES } from "../src/domain/index.js";
import { ENTITIES, ENTITY_NAMES, importFile } from "../src/ingest/index.js";
import { CORE_FEATURES, StoreSink, simulate, simulateToDir } from "../src/simulate/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { snapshot } from "./helpers/server.js";

const OPTIONS = { accounts: 25, months: 6, seed: "round-trip", end: "2025-07-01" };

describe(`the simulated company in the store (${storeName})`, () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it("importing the simulated files gives exactly the store the direct write gives", async () => {
    const direct = await testDb();
    const viaFiles = await testDb();
    dbs.push(direct, viaFiles);

    const sink = new StoreSink(direct, { flushEvery: 5_000 });
    const summary = await simulate(OPTIONS, sink);
    await sink.close();

    const out = mkdtempSync(join(tmpdir(), "keepwell-sim-"));
    const files = await simulateToDir({ ...OPTIONS, out });
    expect(files.counts).toEqual(summary.counts);
    expect(readdirSync(out).sort()).toEqual(ENTITY_NAMES.map((e) => `${e}.ndjson`).sort());
    for (const e of ENTITY_NAMES) {
      if (files.counts[e] === 0) continue;
      const r = await importFile(viaFiles, ENTITIES[e], join(out, `${e}.ndjson`));
      expect(r.inserted, e).toBe(files.counts[e]);
    }
    const a = await snapshot(direct);
    expect(a.accounts).toHaveLength(25);
    expect(a.events!.length).toBeGreaterThan(1000);
    expect(await snapshot(viaFiles)).toEqual(a);
  });

  it("the scorecard's default core features are the simulator's", () => {
    expect([...DEFAULT_CORE_FEATURES].sort()).toEqual([...CORE_FEATURES].sort());
  });
});
