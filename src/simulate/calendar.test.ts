import { describe, expect, it } from "vitest";
import { addMonthsUtc, Calendar, utcDay } from "./calendar.js";
import { makeWorld } from "./options.js";

describe("Calendar", () => {
  const cal = new Calendar(utcDay("2024-01-15"), utcDay("2024-04-15"));

  it("counts days and formats times in UTC with Z", () => {
    expect(cal.days).toBe(91);
    expect(cal.date(0)).toBe("2024-01-15");
    expect(cal.iso(0)).toBe("2024-01-15T00:00:00.000Z");
    expect(cal.iso(1440 + 9 * 60 + 15)).toBe("2024-01-16T09:15:00.000Z");
    expect(cal.iso(-60)).toBe("2024-01-14T23:00:00.000Z");
    expect(cal.iso(5000 * 1440)).toBe(new Date(Date.UTC(2024, 0, 15) + 5000 * 86_400_000).toISOString());
    expect(cal.date(-1)).toBe("2024-01-14");
  });

  it("knows weekdays and calendar months", () => {
    expect(cal.weekday(0)).toBe(1); // a Monday
    expect(cal.weekday(-1)).toBe(0);
    expect(cal.months.map((m) => m.label)).toEqual(["2024-01", "2024-02", "2024-03", "2024-04"]);
    expect(cal.months[0]).toEqual({ label: "2024-01", startDay: 0, endDay: 17 });
    expect(cal.months[3]!.endDay).toBe(91);
  });

  it("adds calendar months, clamping to the month's end", () => {
    expect(addMonthsUtc(utcDay("2024-01-31"), 1).toISOString().slice(0, 10)).toBe("2024-02-29");
    expect(addMonthsUtc(utcDay("2024-03-15"), -3).toISOString().slice(0, 10)).toBe("2023-12-15");
    expect(cal.date(cal.addMonths(0, 12))).toBe("2025-01-15");
  });

  it("rejects windows that are too short and dates that are not dates", () => {
    expect(() => new Calendar(utcDay("2024-01-01"), utcDay("2024-01-10"))).toThrow(RangeError);
    expect(() => utcDay("not a date")).toThrow(RangeError);
  });
});

describe("makeWorld", () => {
  it("takes the window from start, or from end minus months", () => {
    expect(makeWorld({ accounts: 1, start: "2024-01-01" }).cal.date(730)).toBe("2025-12-31");
    const w = makeWorld({ accounts: 1, end: "2025-07-01", months: 12 });
    expect(w.cal.date(0)).toBe("2024-07-01");
    expect(w.cal.days).toBe(365);
  });

  it("never falls back to the clock and names bad options", () => {
    expect(() => makeWorld({ accounts: 1 })).toThrow(/start or end/);
    expect(() => makeWorld({ accounts: -1, start: "2024-01-01" })).toThrow(/accounts/);
    expect(() => makeWorld({ accounts: 1, start: "2024-01-01", churnRates: { smb: 2 } })).toThrow(
      /churnRates\.smb/,
    );
    expect(() => makeWorld({ accounts: 1, start: "2024-01-01", months: 0 })).toThrow(/months/);
  });
});
