import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, importRecords, jsonRecords } from "../src/ingest/index.js";
import { ensureHistory, loadObservations } from "../src/predict/index.js";
import { activeScorecard } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

/**
 * Each observation carries the account's ARR on its date (what the forecast
 * backtest weighs churn by): 12 × the MRR of the subscriptions running then,
 * or the account's own `arr` when it has no subscription. Worked out by hand.
 */

describe(`ARR on each observation date (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await importRecords(
      db,
      ENTITIES.accounts,
      jsonRecords([
        { id: "upgrader", name: "Upgrader", arr: 99_999 },
        { id: "imported", name: "Imported only", arr: 5_000 },
        { id: "addon", name: "Add-on", arr: 1 },
        { id: "unknown", name: "No ARR anywhere" },
        { id: "late", name: "Signed in March", arr: 7_000 },
      ]),
    );
    await importRecords(
      db,
      ENTITIES.subscriptions,
      jsonRecords([
        // 100 a month until 10 March, then 150 (the upgrade ends the first on the second's start).
        {
          id: "u1",
          account: "upgrader",
          mrr: 100,
          started_at: "2024-01-05T00:00:00Z",
          ended_at: "2024-03-10T00:00:00Z",
        },
        { id: "u2", account: "upgrader", mrr: 150, started_at: "2024-03-10T00:00:00Z" },
        // 40 a month from 20 January, and an add-on of 10 running February to April.
        { id: "a1", account: "addon", mrr: 40, started_at: "2024-01-20T00:00:00Z" },
        {
          id: "a2",
          account: "addon",
          mrr: 10,
          started_at: "2024-01-25T00:00:00Z",
          ended_at: "2024-04-15T00:00:00Z",
        },
        { id: "l1", account: "late", mrr: 20, started_at: "2024-03-15T00:00:00Z" },
      ]),
    );
    const metrics = ["upgrader", "imported", "addon", "unknown", "late"].flatMap((account) =>
      ["2024-01-02", "2024-02-02", "2024-03-02", "2024-04-02", "2024-05-02"].map((date) => ({
        account,
        date,
        name: "logins_30d",
        value: 10,
      })),
    );
    await importRecords(db, ENTITIES.metrics, jsonRecords(metrics));
    await ensureHistory(db, await activeScorecard(db));
  });
  afterAll(async () => {
    await db.close();
  });

  it("sums the running subscriptions' MRR × 12 on the date, or takes the account's ARR without any", async () => {
    const set = await loadObservations(db);
    const arr = (account: string, date: string) => {
      const i = set.accounts.findIndex((a, k) => a === account && set.dates[k] === date);
      expect(i, `${account} ${date}`).toBeGreaterThanOrEqual(0);
      return set.arr[i];
    };
    expect(arr("upgrader", "2024-02-01")).toBe(1200);
    expect(arr("upgrader", "2024-03-01")).toBe(1200);
    expect(arr("upgrader", "2024-04-01")).toBe(1800);
    expect(arr("addon", "2024-02-01")).toBe(600);
    expect(arr("addon", "2024-05-01")).toBe(480);
    // From its first subscription on, the subscriptions' figure, not the account's (today's) ARR.
    expect(arr("late", "2024-04-01")).toBe(240);
    expect(arr("imported", "2024-03-01")).toBe(5000);
    expect(arr("unknown", "2024-03-01")).toBeNull();
  });
});
