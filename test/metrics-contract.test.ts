import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CORE_FEATURES } from "../src/domain/index.js";
import { computeMetrics } from "../src/metrics/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { importAll } from "./metrics-fixture.js";

const T = "2025-06-01T00:00:00.000Z";

/**
 * Where a contract starts when an account's subscriptions do not form one
 * unbroken run: a customer who left and came back starts a new contract; a
 * hand-over between rows (a renewal written as a new row, an expansion) does not.
 */
const SUBSCRIPTIONS = [
  // acc_back: left in 2023, came back on 2024-02-20 (annual), expanded on 2024-09-01
  {
    id: "r1",
    account: "acc_back",
    seats: 5,
    started_at: "2022-03-15T00:00:00Z",
    ended_at: "2023-01-10T00:00:00Z",
    term_months: 12,
  },
  {
    id: "r2",
    account: "acc_back",
    seats: 5,
    started_at: "2024-02-20T00:00:00Z",
    ended_at: "2024-09-01T00:00:00Z",
    term_months: 12,
  },
  { id: "r3", account: "acc_back", seats: 9, started_at: "2024-09-01T00:00:00Z", term_months: 12 },
  // acc_handover: each year a new row, starting hours after the last one ended
  {
    id: "h1",
    account: "acc_handover",
    seats: 3,
    started_at: "2023-04-01T00:00:00Z",
    ended_at: "2024-04-01T00:00:00Z",
    term_months: 12,
  },
  { id: "h2", account: "acc_handover", seats: 3, started_at: "2024-04-01T12:00:00Z", term_months: 12 },
  // acc_overlap: a short add-on ended inside the main subscription; the main one still runs
  { id: "o1", account: "acc_overlap", seats: 3, started_at: "2023-07-01T00:00:00Z", term_months: 12 },
  {
    id: "o2",
    account: "acc_overlap",
    seats: 2,
    started_at: "2023-08-01T00:00:00Z",
    ended_at: "2023-09-01T00:00:00Z",
    term_months: 12,
  },
  { id: "o3", account: "acc_overlap", seats: 4, started_at: "2024-11-01T00:00:00Z", term_months: 12 },
];

describe(`contract start of a customer who came back (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    const accounts = ["acc_back", "acc_handover", "acc_overlap"].map((id) => ({ id, name: id }));
    await importAll(db, { accounts, subscriptions: SUBSCRIPTIONS });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("counts renewals and tenure from the start of the current unbroken run", async () => {
    const metrics = await computeMetrics(db, { asOf: T, coreFeatures: DEFAULT_CORE_FEATURES });
    const pick = (a: string) => {
      const m = metrics.get(a);
      return { renewal: m?.days_to_renewal, tenure: m?.tenure_days };
    };
    // came back 2024-02-20: next anniversary 2026-02-20 (264 days); 467 days a customer again
    expect(pick("acc_back")).toEqual({ renewal: 264, tenure: 467 });
    // hand-over hours later: still the contract of 2023-04-01; next anniversary 2026-04-01
    expect(pick("acc_handover")).toEqual({ renewal: 304, tenure: 792 });
    // o3 starts while o1 runs (o2's end does not matter): contract of 2023-07-01
    expect(pick("acc_overlap")).toEqual({ renewal: 30, tenure: 701 });
  });
});
