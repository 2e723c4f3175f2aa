import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { backfillScenario } from "./crash/backfill-scenario.js";
import { importScenario } from "./crash/import-scenario.js";
import type { ScenarioReport } from "./crash/moments.js";
import { serverScenario } from "./crash/server-scenario.js";
import { type StoreKind, startFromDump } from "./crash/stores.js";
import { storeName } from "./helpers/db.js";

/**
 * kill -9 at several moments of the real `keepwell` processes, then: the store
 * opens, holds all or nothing of the interrupted work, and a re-run completes
 * exactly. Small inputs here; `npm run bench -- crash` runs the full set
 * (1 M events, more moments, both stores). PostgreSQL iff TEST_DATABASE_URL
 * is set, like the rest of the suite. CRASH_LOG=1 prints each kill.
 */
const store = storeName as StoreKind;
const dir = mkdtempSync(join(tmpdir(), "keepwell-crash-inputs-"));
const log = process.env.CRASH_LOG ? (line: string) => console.log(line) : undefined;
// New PGlite folders start from the suite's migrated template instead of `keepwell migrate`.
if (store === "pglite") startFromDump(inject("pgliteTemplate"));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expectWhole(r: ScenarioReport): void {
  // The reproductions, when anything was left half-done, a store did not open or a re-run was not exact.
  expect(r.problems).toEqual([]);
  // PGlite: a killed holder's lock file was left behind and the next process took it over.
  if (store === "pglite") expect(r.stale_locks_taken_over).toBeGreaterThanOrEqual(1);
  expect(r.states.partial ?? 0).toBe(0);
  expect(r.reruns_exact).toBe(r.trials.length);
  // At least one kill must cut work in progress, or the scenario proved nothing.
  expect(r.mid_work).toBeGreaterThanOrEqual(1);
}

describe.concurrent(`crash: kill -9, then all or nothing and an exact re-run (${store})`, () => {
  it("keepwell import of 60,000 events, killed during the read and once it reported", {
    timeout: 300_000,
  }, async () => {
    const r = await importScenario(store, {
      events: 60_000,
      accounts: 100,
      // reported: after the commit, before the store closes: a re-run must find all and report them unchanged.
      moments: ["read:0.4", "reported"],
      dir,
      log,
    });
    expectWhole(r);
    expect(r.kills).toBeGreaterThanOrEqual(1);
    expect(r.states.none).toBeGreaterThanOrEqual(1);
  });

  it("keepwell score --backfill of 10 months, killed as it starts and midway", {
    timeout: 300_000,
  }, async () => {
    const r = await backfillScenario(store, {
      accounts: 150,
      months: 10,
      // pidfile:2: two starts in a row killed the instant PGlite creates postmaster.pid
      // (on PostgreSQL: 1.5 s after spawn); then a new process must open the store.
      moments: ["pidfile:2", "month:5:0.5"],
      log,
    });
    expectWhole(r);
    expect(r.kills).toBe(2);
  });

  it("keepwell serve, killed while a 10 MB POST uploads and while it imports", {
    timeout: 300_000,
  }, async () => {
    const r = await serverScenario(store, {
      bodyMb: 10,
      accounts: 20,
      moments: ["upload:0.5", "import:0.5"],
      log,
    });
    expectWhole(r);
    expect(r.kills).toBe(2);
  });
});
