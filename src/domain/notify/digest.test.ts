import { describe, expect, it } from "vitest";
import { type DigestItem, digestDueAt, groupDigest, lastDigestMoment, nextDigestAt } from "./digest.js";
import type { AlertContent, Severity } from "./types.js";

const NY = "America/New_York";
const TOKYO = "Asia/Tokyo";
const at = (iso: string) => new Date(iso);

describe("digestDueAt", () => {
  const cases: [string, number, string, string | null, string, boolean][] = [
    // 08:00 in New York in January is 13:00 UTC
    ["never sent, before today's 08:00: yesterday's is due", 8, NY, null, "2026-01-15T12:59:00Z", true],
    ["sent yesterday at 08:00, before today's", 8, NY, "2026-01-14T13:00:00Z", "2026-01-15T12:59:00Z", false],
    [
      "sent yesterday at 08:00, at today's 08:00",
      8,
      NY,
      "2026-01-14T13:00:00Z",
      "2026-01-15T13:00:00Z",
      true,
    ],
    ["sent yesterday, later today", 8, NY, "2026-01-14T13:05:00Z", "2026-01-15T20:00:00Z", true],
    ["sent today at 08:00", 8, NY, "2026-01-15T13:00:00Z", "2026-01-15T20:00:00Z", false],
    ["sent today just after", 8, NY, "2026-01-15T13:00:01Z", "2026-01-16T12:59:59Z", false],
    ["sent a minute before today's moment", 8, NY, "2026-01-15T12:59:00Z", "2026-01-15T13:00:00Z", true],
    // Tokyo: 08:00 local is 23:00 UTC the day before
    ["Tokyo 08:00", 8, TOKYO, "2026-01-14T23:00:00Z", "2026-01-15T23:00:00Z", true],
    ["Tokyo 07:59", 8, TOKYO, "2026-01-14T23:00:00Z", "2026-01-15T22:59:00Z", false],
    // midnight and 23:00
    ["hour 0", 0, "UTC", "2026-01-14T00:00:00Z", "2026-01-15T00:00:00Z", true],
    ["hour 23, at 22:59", 23, "UTC", "2026-01-14T23:00:00Z", "2026-01-15T22:59:00Z", false],
    // the clocks change: 08:00 is still 08:00 local
    ["spring: 08:00 EDT", 8, NY, "2026-03-07T13:00:00Z", "2026-03-08T12:00:00Z", true],
    ["spring: 07:59 EDT", 8, NY, "2026-03-07T13:00:00Z", "2026-03-08T11:59:00Z", false],
    ["fall: 08:00 EST", 8, NY, "2026-10-31T12:00:00Z", "2026-11-01T13:00:00Z", true],
    ["fall: 07:59 EST", 8, NY, "2026-10-31T12:00:00Z", "2026-11-01T12:59:00Z", false],
    // a digest hour the clocks skip falls at the first moment after it
    ["spring: hour 2 is 03:00 EDT", 2, NY, "2026-03-07T07:00:00Z", "2026-03-08T07:00:00Z", true],
    ["spring: hour 2, at 01:59 EST", 2, NY, "2026-03-07T07:00:00Z", "2026-03-08T06:59:00Z", false],
  ];
  it.each(cases)("%s", (_name, hour, zone, last, now, due) => {
    expect(digestDueAt(hour, zone, last === null ? null : at(last), at(now))).toBe(due);
  });

  it("finds the latest and next moments", () => {
    expect(lastDigestMoment(8, NY, at("2026-01-15T12:59:00Z")).toISOString()).toBe(
      "2026-01-14T13:00:00.000Z",
    );
    expect(lastDigestMoment(8, NY, at("2026-01-15T13:00:00Z")).toISOString()).toBe(
      "2026-01-15T13:00:00.000Z",
    );
    expect(nextDigestAt(8, NY, at("2026-01-15T13:00:00Z")).toISOString()).toBe("2026-01-16T13:00:00.000Z");
    expect(nextDigestAt(8, NY, at("2026-03-07T14:00:00Z")).toISOString()).toBe("2026-03-08T12:00:00.000Z");
  });
});

function item(
  account: string,
  name: string,
  arr: number | null,
  severity: Severity,
  occurred_at: string,
  title = `${name} ${severity}`,
): DigestItem & { title: string } {
  const content: AlertContent = {
    event_type: "play.opened",
    title,
    account: { id: account, name, segment: null, arr },
    band: null,
    score: null,
    trend: null,
    churn_probability: null,
    reason: "",
    due_at: null,
    due_what: null,
    play: null,
    link: `https://kw.example/accounts/${account}`,
    occurred_at,
  };
  return { content, severity, occurrences: 1, title };
}

describe("groupDigest", () => {
  it("orders accounts by their most severe item, then ARR, then name; items by severity, then time", () => {
    const items = [
      item("a1", "Zeta", 10_000, "watch", "2026-01-15T10:00:00Z"),
      item("a2", "Acme", 90_000, "healthy", "2026-01-15T09:00:00Z"),
      item("a3", "Beta", 50_000, "watch", "2026-01-15T08:00:00Z"),
      item("a2", "Acme", 90_000, "info", "2026-01-15T07:00:00Z"),
      item("a4", "Gamma", 5_000, "critical", "2026-01-15T11:00:00Z"),
      item("a1", "Zeta", 10_000, "at_risk", "2026-01-15T12:00:00Z", "Zeta later at_risk"),
      item("a1", "Zeta", 10_000, "at_risk", "2026-01-15T06:00:00Z", "Zeta earlier at_risk"),
      item("a5", "Alpha", null, "watch", "2026-01-15T05:00:00Z"),
      item("a6", "Aardvark", 50_000, "watch", "2026-01-15T05:00:00Z"),
    ];
    const groups = groupDigest(items);
    expect(groups.map((g) => [g.account.name, g.severity])).toEqual([
      ["Gamma", "critical"],
      ["Zeta", "at_risk"],
      ["Aardvark", "watch"], // watch, 50k, A before B
      ["Beta", "watch"],
      ["Alpha", "watch"], // watch, no ARR: last of the watch accounts
      ["Acme", "healthy"], // 90k but only healthy
    ]);
    expect(groups[1]?.items.map((i) => i.title)).toEqual([
      "Zeta earlier at_risk",
      "Zeta later at_risk",
      "Zeta watch",
    ]);
    expect(groups[5]?.items.map((i) => i.severity)).toEqual(["healthy", "info"]);
    // nothing lost, nothing doubled
    expect(groups.flatMap((g) => g.items)).toHaveLength(items.length);
  });

  it("is empty for nothing", () => {
    expect(groupDigest([])).toEqual([]);
  });
});
