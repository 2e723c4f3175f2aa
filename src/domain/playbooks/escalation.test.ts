import { describe, expect, it } from "vitest";
import { dueEscalations, escalationSchedule, escalationTime } from "./escalation.js";
import type { EscalationRule } from "./schema.js";

const OPENED = new Date("2025-03-01T00:00:00Z");
const at = (iso: string) => new Date(iso);
const hoursAfter = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);
const DUE_48H = hoursAfter(OPENED, 48);

describe("escalationTime", () => {
  const cases: [string, Date, string][] = [
    ["50%", DUE_48H, "2025-03-02T00:00:00.000Z"],
    ["100%", DUE_48H, "2025-03-03T00:00:00.000Z"],
    ["150%", DUE_48H, "2025-03-04T00:00:00.000Z"],
    ["0%", DUE_48H, "2025-03-01T00:00:00.000Z"],
    ["12.5%", DUE_48H, "2025-03-01T06:00:00.000Z"],
    ["4h", DUE_48H, "2025-03-03T04:00:00.000Z"],
    ["0h", DUE_48H, "2025-03-03T00:00:00.000Z"],
    ["1d", DUE_48H, "2025-03-04T00:00:00.000Z"],
    ["30m", DUE_48H, "2025-03-03T00:30:00.000Z"],
    // a 14-day watch play
    ["50%", hoursAfter(OPENED, 14 * 24), "2025-03-08T00:00:00.000Z"],
    ["150%", hoursAfter(OPENED, 14 * 24), "2025-03-22T00:00:00.000Z"],
    // due at once (0h): every share is the opening; durations count from it
    ["50%", OPENED, "2025-03-01T00:00:00.000Z"],
    ["150%", OPENED, "2025-03-01T00:00:00.000Z"],
    ["4h", OPENED, "2025-03-01T04:00:00.000Z"],
    ["24h", OPENED, "2025-03-02T00:00:00.000Z"],
  ];
  it.each(cases)("%s of a play due at %s", (when, due, expected) => {
    expect(escalationTime({ at: when, to: "owner" }, OPENED, due).toISOString()).toBe(expected);
  });
});

describe("escalationSchedule", () => {
  it("orders the chain by time, levels counting from 1", () => {
    const chain: EscalationRule[] = [
      { at: "150%", to: "executive" },
      { at: "4h", to: { user: "vp@example.com" } },
      { at: "50%", to: "owner" },
      { at: "100%", to: "owner_manager" },
    ];
    expect(
      escalationSchedule(chain, OPENED, DUE_48H).map((s) => [s.rule.at, s.at.toISOString(), s.level]),
    ).toEqual([
      ["50%", "2025-03-02T00:00:00.000Z", 1],
      ["100%", "2025-03-03T00:00:00.000Z", 2],
      ["4h", "2025-03-03T04:00:00.000Z", 3],
      ["150%", "2025-03-04T00:00:00.000Z", 4],
    ]);
  });

  it("keeps the file's order for rules at the same time", () => {
    const chain: EscalationRule[] = [
      { at: "0h", to: "owner_manager" },
      { at: "100%", to: "owner" },
      { at: "50%", to: "executive" },
    ];
    expect(escalationSchedule(chain, OPENED, DUE_48H).map((s) => s.rule.to)).toEqual([
      "executive",
      "owner_manager",
      "owner",
    ]);
    // due at once: 50% and 0h both fall at the opening
    expect(escalationSchedule(chain, OPENED, OPENED).map((s) => s.rule.to)).toEqual([
      "owner_manager",
      "owner",
      "executive",
    ]);
  });

  it("is empty for no chain", () => {
    expect(escalationSchedule([], OPENED, DUE_48H)).toEqual([]);
  });
});

describe("dueEscalations", () => {
  // the default watch chain on a 48 h play
  const chain: EscalationRule[] = [
    { at: "50%", to: "owner" },
    { at: "100%", to: "owner_manager" },
    { at: "150%", to: "executive" },
  ];
  const play = (escalation_level: number) => ({ opened_at: OPENED, due_at: DUE_48H, escalation_level });

  const cases: [string, number, string, string[], string | null][] = [
    ["at opening: nothing yet", 0, "2025-03-01T00:00:00Z", [], "2025-03-02T00:00:00.000Z"],
    ["a minute before half time", 0, "2025-03-01T23:59:00Z", [], "2025-03-02T00:00:00.000Z"],
    ["at half time: the reminder", 0, "2025-03-02T00:00:00Z", ["1 owner"], "2025-03-03T00:00:00.000Z"],
    ["reminded, before due", 1, "2025-03-02T12:00:00Z", [], "2025-03-03T00:00:00.000Z"],
    [
      "reminded, at due: the manager",
      1,
      "2025-03-03T00:00:00Z",
      ["2 owner_manager"],
      "2025-03-04T00:00:00.000Z",
    ],
    [
      "never run, long overdue: all, in order",
      0,
      "2025-03-10T00:00:00Z",
      ["1 owner", "2 owner_manager", "3 executive"],
      null,
    ],
    ["reminded, at 150%: the rest", 1, "2025-03-04T00:00:00Z", ["2 owner_manager", "3 executive"], null],
    ["all fired", 3, "2025-03-10T00:00:00Z", [], null],
    ["a level past the chain (the file changed)", 5, "2025-03-10T00:00:00Z", [], null],
  ];
  it.each(cases)("%s", (_name, level, now, fire, next) => {
    const r = dueEscalations(chain, play(level), at(now));
    expect(r.fire.map((f) => `${f.level} ${String(f.rule.to)}`)).toEqual(fire);
    expect(r.next?.toISOString() ?? null).toBe(next);
  });

  it("fires a due-at-once play's shares at once and its durations after", () => {
    const critical: EscalationRule[] = [
      { at: "4h", to: "owner" },
      { at: "24h", to: "owner_manager" },
    ];
    const p = { opened_at: OPENED, due_at: OPENED, escalation_level: 0 };
    expect(dueEscalations(critical, p, OPENED)).toEqual({ fire: [], next: at("2025-03-01T04:00:00Z") });
    const r = dueEscalations(critical, p, at("2025-03-01T05:00:00Z"));
    expect(r.fire.map((f) => f.level)).toEqual([1]);
    expect(r.next).toEqual(at("2025-03-02T00:00:00Z"));
    expect(dueEscalations([{ at: "50%", to: "owner" }], p, OPENED).fire.map((f) => f.level)).toEqual([1]);
  });

  it("has nothing for an empty chain", () => {
    expect(dueEscalations([], play(0), at("2025-04-01T00:00:00Z"))).toEqual({ fire: [], next: null });
  });
});
