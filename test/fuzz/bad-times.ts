/** Times and dates that are not ISO 8601, not real, or outside 1900-01-01 … 9999-12-31 (UTC). */
import type { Rng } from "./prng.js";

export const BAD_TIMES = [
  "31/12/2025",
  "12/31/2025",
  "March 4, 2025",
  "4 Mar 2025",
  "Tue, 04 Mar 2025 09:15:00 GMT",
  "2025-03-04T09:15:00 PST",
  "2025-3-4",
  "2025-03-4",
  "2025/03/04",
  "2025.03.04",
  "2025-03-04T9:15:00Z",
  "2025-03-04T09:15:00+25:00",
  "2025-03-04T09:15:00+05:60",
  "2025-03-04T09:15:00.1234567890Z",
  "2025-03-04T09:15:00ZZ",
  "2025-03-04TT09:15:00Z",
  "2025-03-04Z",
  "2025-03-04T",
  "T09:15:00Z",
  "09:15",
  "2025",
  "2025-03",
  "now",
  "yesterday",
  "1741079700",
  "２０２５-03-04",
  "2025‐03‐04",
  "٢٠٢٥-٠٣-٠٤",
  "2025-03-04\t10:00",
];

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** A date or time whose parts are not real: Feb 30, Feb 29 of a common year, month 13, 24:00:01, minute 60. */
export function impossibleTime(rng: Rng, dateOnly: boolean): string {
  const y = rng.int(1950, 2100);
  const zone = rng.pick(["Z", "+02:00", "", "-05:00"]);
  const clock = `${pad(rng.int(0, 23))}:${pad(rng.int(0, 59))}:${pad(rng.int(0, 59))}`;
  const day = `${y}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  const dates = [
    () => `${y}-02-${pad(rng.int(30, 31))}`,
    () => `${rng.pick([1900, 2023, 2025, 2100, 2026, 2027])}-02-29`,
    () => `${y}-${pad(rng.pick([4, 6, 9, 11]))}-31`,
    () => `${y}-${pad(rng.pick([0, 13, rng.int(14, 99)]))}-${pad(rng.int(1, 28))}`,
    () => `${y}-${pad(rng.int(1, 12))}-${pad(rng.pick([0, 32, rng.int(33, 99)]))}`,
  ];
  if (rng.chance(0.6)) {
    const date = rng.pick(dates)();
    return dateOnly ? date : `${date}T${clock}${zone}`;
  }
  const badClock = rng.pick([
    "24:00:01",
    `${rng.int(25, 99)}:00:00`,
    `${pad(rng.int(0, 23))}:${rng.int(60, 99)}:00`,
    `${pad(rng.int(0, 23))}:00:${rng.int(61, 99)}`,
  ]);
  return `${day}T${badClock}${zone}`;
}

/** A real-looking time outside 1900-01-01 … 9999-12-31 once in UTC. */
export function outOfRangeTime(rng: Rng): string {
  const md = `${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
  switch (rng.int(0, 8)) {
    case 0:
      return rng.pick(["0000-01-01T00:00:00Z", "0000-01-01", `0000-${md}`, `0000-${md}T12:00:00Z`]);
    case 1:
      return `${pad(rng.int(1, 1899), 4)}-${md}`;
    case 2:
      return `${pad(rng.int(1, 1899), 4)}-${md}T${pad(rng.int(0, 23))}:00:00Z`;
    case 3:
      return rng.pick([
        "1899-12-31T23:59:59Z",
        "1900-01-01T00:00:00+00:01",
        `1900-01-01T00:${pad(rng.int(0, 58))}:00+01:00`,
      ]);
    case 4:
      return rng.pick(["9999-12-31T23:59:59-14:00", `9999-12-31T${pad(rng.int(20, 23))}:00:00-05:00`]);
    case 5:
      return rng.pick(["10000-01-01", "10000-01-01T00:00:00Z", `${rng.int(10_000, 99_999)}-${md}`]);
    case 6:
      return `-${pad(rng.int(1, 9999), 4)}-${md}`;
    case 7:
      return `+${pad(rng.int(10_000, 99_999), 6)}-${md}T00:00:00Z`;
    default:
      return `${rng.int(1000, 1899)}-${md}T00:00:00Z`;
  }
}
