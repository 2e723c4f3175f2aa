import { describe, expect, it } from "vitest";
import { dayDate, dayNumber } from "./dataset.js";
import { seededRandom } from "./random.js";
import { chooseSplits, crossPredict, groupKFold, rollingOriginSplits } from "./splits.js";

const HORIZON = 90;
const monthly = (count: number, start = "2024-01-01") => {
  const out: string[] = [];
  const [y, m] = start.split("-").map(Number) as [number, number];
  for (let k = 0; k < count; k++) {
    const month = m - 1 + k;
    out.push(`${y + Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, "0")}-01`);
  }
  return out;
};

/** `accounts` accounts, each observed on every one of `dates`. */
function history(accounts: number, dates: readonly string[]) {
  const ids: string[] = [];
  const at: string[] = [];
  for (let a = 0; a < accounts; a++)
    for (const d of dates) {
      ids.push(`a${a}`);
      at.push(d);
    }
  return { accounts: ids, dates: at };
}

describe("rolling-origin splits", () => {
  const { dates } = history(3, monthly(12));
  const splits = rollingOriginSplits(dates, { horizonDays: HORIZON });

  it("cuts from the sixth date on, testing each later date once", () => {
    expect(splits.map((s) => s.name)).toEqual(monthly(7, "2024-06-01"));
    const tested = splits.flatMap((s) => [...s.test]).sort((a, b) => a - b);
    expect(new Set(tested).size).toBe(tested.length);
    expect(tested).toHaveLength(3 * 7);
  });

  it("the first cut trains on dates before D − horizon and tests [D, next cut)", () => {
    const first = splits[0]!;
    // 2024-06-01 − 90 days = 2024-03-03: January, February and March 1st are known.
    expect(dayDate(dayNumber("2024-06-01") - HORIZON)).toBe("2024-03-03");
    expect([...new Set([...first.train].map((i) => dates[i]))]).toEqual([
      "2024-01-01",
      "2024-02-01",
      "2024-03-01",
    ]);
    expect([...new Set([...first.test].map((i) => dates[i]))]).toEqual(["2024-06-01"]);
  });

  it("never trains on an observation whose label is unknown at the cut", () => {
    for (const split of splits) {
      const cut = dayNumber(split.name);
      const latestTrain = Math.max(...[...split.train].map((i) => dayNumber(dates[i]!)));
      const earliestTest = Math.min(...[...split.test].map((i) => dayNumber(dates[i]!)));
      expect(latestTrain + HORIZON).toBeLessThan(cut);
      expect(earliestTest).toBeGreaterThanOrEqual(cut);
      const train = new Set(split.train);
      expect([...split.test].some((i) => train.has(i))).toBe(false);
    }
  });

  it("keeps at most maxSplits cuts, still testing every later date", () => {
    const few = rollingOriginSplits(dates, { horizonDays: HORIZON, maxSplits: 3 });
    expect(few.map((s) => s.name)).toEqual(["2024-06-01", "2024-09-01", "2024-12-01"]);
    expect(few.reduce((n, s) => n + s.test.length, 0)).toBe(3 * 7);
  });
});

describe("stratified group k-fold", () => {
  const random = seededRandom(5);
  const { accounts, dates } = history(53, monthly(4));
  const churner = new Map([...new Set(accounts)].map((a) => [a, random.next() < 0.3]));
  // A churner's label is 1 on its last observation only.
  const labels = Uint8Array.from(accounts, (a, i) => (churner.get(a) && dates[i] === "2024-04-01" ? 1 : 0));
  const folds = groupKFold(accounts, labels, { folds: 5, seed: 1 });

  it("puts each account's observations in exactly one test fold", () => {
    expect(folds).toHaveLength(5);
    const foldOf = new Map<string, number>();
    folds.forEach((fold, f) => {
      const train = new Set([...fold.train].map((i) => accounts[i]));
      for (const i of fold.test) {
        const a = accounts[i]!;
        expect(train.has(a)).toBe(false);
        expect(foldOf.get(a) ?? f).toBe(f);
        foldOf.set(a, f);
      }
      expect(fold.train.length + fold.test.length).toBe(accounts.length);
    });
    expect(foldOf.size).toBe(53);
  });

  it("spreads churning accounts evenly", () => {
    const perFold = folds.map(
      (fold) => new Set([...fold.test].filter((i) => labels[i] === 1).map((i) => accounts[i])).size,
    );
    expect(Math.max(...perFold) - Math.min(...perFold)).toBeLessThanOrEqual(1);
  });

  it("is chosen when the history has fewer than six dates", () => {
    expect(chooseSplits({ accounts, dates }, labels, { horizonDays: HORIZON }).method).toBe("group_kfold");
    const long = history(20, monthly(12));
    const longLabels = Uint8Array.from(long.accounts, (_, i) => (i % 7 === 0 ? 1 : 0));
    expect(chooseSplits(long, longLabels, { horizonDays: HORIZON }).method).toBe("rolling_origin");
  });
});

describe("crossPredict", () => {
  it("places each split's predictions at its test rows and skips one-class training sets", () => {
    const labels = Uint8Array.from([1, 0, 1, 0, 0, 0]);
    const oof = crossPredict(
      [
        { name: "one", train: Int32Array.from([0, 1]), test: Int32Array.from([2, 3]) },
        { name: "only negatives", train: Int32Array.from([3, 4]), test: Int32Array.from([5]) },
      ],
      labels,
      (train, test) => Float64Array.from(test, (row) => row / 10 + train.length),
    );
    expect([...oof.predictions].map((p) => (Number.isNaN(p) ? null : p))).toEqual([
      null,
      null,
      2.2,
      2.3,
      null,
      null,
    ]);
    expect([...oof.tested]).toEqual([2, 3]);
    expect(oof.splits.map((s) => s.skipped)).toEqual([false, true]);
  });
});
