import { describe, expect, it } from "vitest";
import { addDays, atLocal, isTimeZone, localMidnight, localParts } from "./local-time.js";

const NY = "America/New_York";
const LONDON = "Europe/London";
const TOKYO = "Asia/Tokyo";
const at = (iso: string) => new Date(iso);

describe("localParts", () => {
  const cases: [string, string, string, number, number][] = [
    ["2026-01-15T12:00:00Z", "UTC", "2026-01-15", 720, 4],
    ["2026-01-15T04:59:59Z", NY, "2026-01-14", 23 * 60 + 59, 3],
    ["2026-01-15T05:00:00Z", NY, "2026-01-15", 0, 4],
    ["2026-07-15T04:00:00Z", NY, "2026-07-15", 0, 3],
    // Tokyo is UTC+9 all year: 15:00 UTC is the next day's midnight there
    ["2026-01-15T14:59:00Z", TOKYO, "2026-01-15", 23 * 60 + 59, 4],
    ["2026-01-15T15:00:00Z", TOKYO, "2026-01-16", 0, 5],
    // London: GMT in winter, BST (UTC+1) from 29 March 2026
    ["2026-03-29T00:59:00Z", LONDON, "2026-03-29", 59, 0],
    ["2026-03-29T01:00:00Z", LONDON, "2026-03-29", 120, 0],
    // New York's fall back: 01:10 is shown twice, the second after 06:00 UTC
    ["2026-11-01T05:10:00Z", NY, "2026-11-01", 70, 0],
    ["2026-11-01T06:10:00Z", NY, "2026-11-01", 70, 0],
    // seconds and milliseconds do not make a minute
    ["2026-01-15T12:00:59.999Z", "UTC", "2026-01-15", 720, 4],
    // a leap day
    ["2028-02-29T23:30:00Z", "UTC", "2028-02-29", 1410, 2],
  ];
  it.each(cases)("%s in %s is %s, minute %d, weekday %d", (iso, zone, date, minutes, weekday) => {
    expect(localParts(at(iso), zone)).toEqual({ date, minutes, weekday });
  });
});

describe("atLocal", () => {
  const cases: [string, string, number, string, string][] = [
    ["an ordinary winter morning", "2026-01-15", 8 * 60, NY, "2026-01-15T13:00:00.000Z"],
    ["an ordinary summer morning", "2026-07-15", 8 * 60, NY, "2026-07-15T12:00:00.000Z"],
    ["Tokyo's 08:00 is the day before in UTC", "2026-01-16", 8 * 60, TOKYO, "2026-01-15T23:00:00.000Z"],
    ["UTC is itself", "2026-01-15", 90, "UTC", "2026-01-15T01:30:00.000Z"],
    // spring forward in New York, 2026-03-08: 02:00–02:59 does not exist
    ["spring: 01:59 still EST", "2026-03-08", 119, NY, "2026-03-08T06:59:00.000Z"],
    ["spring: 02:00 moves to 03:00 EDT", "2026-03-08", 120, NY, "2026-03-08T07:00:00.000Z"],
    ["spring: 02:30 moves to 03:30 EDT", "2026-03-08", 150, NY, "2026-03-08T07:30:00.000Z"],
    ["spring: 03:00 EDT", "2026-03-08", 180, NY, "2026-03-08T07:00:00.000Z"],
    ["spring: midnight before the change", "2026-03-08", 0, NY, "2026-03-08T05:00:00.000Z"],
    ["spring: 23:00 after the change", "2026-03-08", 23 * 60, NY, "2026-03-09T03:00:00.000Z"],
    // fall back in New York, 2026-11-01: 01:00–01:59 is shown twice
    ["fall: 00:30 EDT", "2026-11-01", 30, NY, "2026-11-01T04:30:00.000Z"],
    ["fall: 01:30 is the first (EDT)", "2026-11-01", 90, NY, "2026-11-01T05:30:00.000Z"],
    ["fall: 02:00 EST", "2026-11-01", 120, NY, "2026-11-01T07:00:00.000Z"],
    // London, 2026-03-29 (01:00 → 02:00) and 2026-10-25 (02:00 → 01:00)
    ["London spring: 01:30 moves to 02:30 BST", "2026-03-29", 90, LONDON, "2026-03-29T01:30:00.000Z"],
    ["London fall: 01:30 is the first (BST)", "2026-10-25", 90, LONDON, "2026-10-25T00:30:00.000Z"],
    ["London fall: 02:00 GMT", "2026-10-25", 120, LONDON, "2026-10-25T02:00:00.000Z"],
    // 24:00 is the next midnight
    ["minute 1440 is the next day", "2026-01-15", 1440, NY, "2026-01-16T05:00:00.000Z"],
  ];
  it.each(cases)("%s", (_name, date, minutes, zone, expected) => {
    expect(atLocal(date, minutes, zone).toISOString()).toBe(expected);
  });

  // [date, zone, the minutes the clocks skip that day (an hour from here), or null]
  const changeDays: [string, string, number | null][] = [
    ["2026-03-08", NY, 120],
    ["2026-11-01", NY, null],
    ["2026-03-29", LONDON, 60],
    ["2026-10-25", LONDON, null],
  ];
  it.each(changeDays)(
    "gives back every minute of %s in %s (a skipped one an hour later)",
    (date, zone, gap) => {
      for (let m = 0; m < 1440; m++) {
        const skipped = gap !== null && m >= gap && m < gap + 60;
        expect(localParts(atLocal(date, m, zone), zone)).toMatchObject({
          date,
          minutes: skipped ? m + 60 : m,
        });
      }
    },
  );

  it("refuses a date that is not one", () => {
    expect(() => atLocal("2026-02-30", 0, "UTC")).toThrow("not a date: 2026-02-30");
    expect(() => atLocal("26-1-1", 0, "UTC")).toThrow("not a date");
  });
});

describe("localMidnight", () => {
  const cases: [string, string, string][] = [
    ["2026-01-15", NY, "2026-01-15T05:00:00.000Z"],
    ["2026-03-08", NY, "2026-03-08T05:00:00.000Z"],
    ["2026-03-09", NY, "2026-03-09T04:00:00.000Z"],
    ["2026-01-16", TOKYO, "2026-01-15T15:00:00.000Z"],
    // Santiago springs forward at midnight (2026-09-06): the day starts at 01:00
    ["2026-09-06", "America/Santiago", "2026-09-06T04:00:00.000Z"],
  ];
  it.each(cases)("%s in %s starts at %s", (date, zone, expected) => {
    expect(localMidnight(date, zone).toISOString()).toBe(expected);
  });

  it("makes days of 23 and 25 hours when the clocks change", () => {
    const hours = (d: string) =>
      (localMidnight(addDays(d, 1), NY).getTime() - localMidnight(d, NY).getTime()) / 3_600_000;
    expect([hours("2026-03-08"), hours("2026-03-09"), hours("2026-11-01")]).toEqual([23, 24, 25]);
  });
});

describe("addDays", () => {
  it.each([
    ["2026-01-31", 1, "2026-02-01"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2028-03-01", -1, "2028-02-29"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-03-08", 0, "2026-03-08"],
  ] as const)("%s + %d is %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });
});

describe("isTimeZone", () => {
  it.each([
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Tokyo",
    "America/Argentina/Buenos_Aires",
    "Etc/GMT+5",
  ])("knows %s", (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });
  it.each(["", "Mars/Olympus_Mons", "+01:00", "New York", "Europe/", "/London", "UTC; DROP"])(
    "refuses %j",
    (zone) => {
      expect(isTimeZone(zone)).toBe(false);
    },
  );
});
