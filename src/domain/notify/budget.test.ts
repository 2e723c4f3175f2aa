import { describe, expect, it } from "vitest";
import { countInDay, localDay, withinBudget } from "./budget.js";

const TOKYO = "Asia/Tokyo"; // UTC+9: the local day starts at 15:00 UTC
const NY = "America/New_York";
const at = (iso: string) => new Date(iso);
const times = (...iso: string[]) => iso.map(at);

describe("localDay", () => {
  const cases: [string, string, string, string, string][] = [
    ["2026-01-15T14:59:59Z", TOKYO, "2026-01-15", "2026-01-14T15:00:00.000Z", "2026-01-15T15:00:00.000Z"],
    ["2026-01-15T15:00:00Z", TOKYO, "2026-01-16", "2026-01-15T15:00:00.000Z", "2026-01-16T15:00:00.000Z"],
    ["2026-03-08T12:00:00Z", NY, "2026-03-08", "2026-03-08T05:00:00.000Z", "2026-03-09T04:00:00.000Z"],
    ["2026-11-01T12:00:00Z", NY, "2026-11-01", "2026-11-01T04:00:00.000Z", "2026-11-02T05:00:00.000Z"],
  ];
  it.each(cases)("%s in %s is %s, from %s to %s", (now, zone, date, start, end) => {
    const d = localDay(at(now), zone);
    expect([d.date, d.start.toISOString(), d.end.toISOString()]).toEqual([date, start, end]);
  });
});

describe("withinBudget", () => {
  // A user in Tokyo: sent at 14:50 and 14:59 UTC (23:50, 23:59 local on the 15th)
  const lateOn15th = times("2026-01-15T14:50:00Z", "2026-01-15T14:59:00Z");
  const cases: [string, Date[], number, string, string, boolean][] = [
    ["nothing sent", [], 20, TOKYO, "2026-01-15T10:00:00Z", true],
    ["two sent, budget 2, same local day", lateOn15th, 2, TOKYO, "2026-01-15T14:59:30Z", false],
    ["two sent, budget 3", lateOn15th, 3, TOKYO, "2026-01-15T14:59:30Z", true],
    // one minute later it is the 16th in Tokyo: a fresh budget, though only minutes have passed
    ["local midnight resets it", lateOn15th, 2, TOKYO, "2026-01-15T15:00:00Z", true],
    // the same instants in UTC are all one day, the 15th, until 00:00 UTC
    ["in UTC the day runs on", lateOn15th, 2, "UTC", "2026-01-15T15:00:00Z", false],
    ["and resets at UTC midnight", lateOn15th, 2, "UTC", "2026-01-16T00:00:00Z", true],
    // not the last 24 hours: yesterday's late alerts do not count today
    [
      "yesterday does not count",
      times("2026-01-14T15:00:00Z", "2026-01-15T14:00:00Z"),
      1,
      TOKYO,
      "2026-01-15T15:30:00Z",
      true,
    ],
    // one alert counted at the exact local midnight belongs to the new day
    [
      "an alert at local midnight counts today",
      times("2026-01-15T15:00:00Z"),
      1,
      TOKYO,
      "2026-01-15T15:30:00Z",
      false,
    ],
    // a 25-hour day (fall back) counts its whole length
    [
      "New York's fall-back day is 25 hours",
      times("2026-11-01T04:00:00Z", "2026-11-02T04:59:00Z"),
      2,
      NY,
      "2026-11-02T04:59:30Z",
      false,
    ],
  ];
  it.each(cases)("%s", (_name, sent, budget, zone, now, expected) => {
    expect(withinBudget(sent, budget, zone, at(now))).toBe(expected);
  });

  it("counts exactly the day's alerts", () => {
    const sent = Array.from({ length: 48 }, (_, h) => new Date(Date.UTC(2026, 0, 15, h)));
    const day = localDay(at("2026-01-16T03:00:00Z"), TOKYO);
    expect(countInDay(sent, day)).toBe(24);
    expect(withinBudget(sent, 24, TOKYO, at("2026-01-16T03:00:00Z"))).toBe(false);
    expect(withinBudget(sent, 25, TOKYO, at("2026-01-16T03:00:00Z"))).toBe(true);
  });
});
