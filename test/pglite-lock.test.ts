import { describe, expect, it } from "vitest";
import { runTrials, type TrialResult } from "./helpers/lock-trials.js";

/** What every race must show, whatever the interleaving. */
function expectOneHolderAtATime(t: TrialResult, starters: number): void {
  expect(t.failed).toEqual([]);
  expect(t.maxAtOnce).toBe(1);
  expect(t.holders.length).toBeGreaterThanOrEqual(1);
  expect(t.holders.length + t.refused.length).toBe(starters);
  // A loser was refused by a starter that really held the folder at the time.
  for (const r of t.refused) expect(t.holders).toContain(r.named);
}

describe("a PGlite data folder with a stale lock, raced by processes started together", () => {
  it("is held by one process at a time; the others are refused with the clear message", async () => {
    const trials = await runTrials({ starters: 8, mode: "lock", trials: 12 });
    expect(trials).toHaveLength(12);
    for (const t of trials) expectOneHolderAtATime(t, 8);
  }, 90_000);

  it("loses no committed row when every holder writes through PGlite", async () => {
    const rows = 5_000;
    const trials = await runTrials({ starters: 3, mode: "pglite", rows, trials: 2 });
    for (const t of trials) {
      expectOneHolderAtATime(t, 3);
      expect(t.rowsExpected).toBe(t.holders.length * rows);
      expect(t.rowsKept).toBe(t.rowsExpected);
    }
  }, 120_000);
});
