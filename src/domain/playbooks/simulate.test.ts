import { describe, expect, it } from "vitest";
import type { Band } from "../bands.js";
import { Team } from "./owners.js";
import { type Playbooks, playbooksSchema } from "./schema.js";
import { type HistoryPoint, monthSteps, type SimulatedAccount, simulatePlaybooks } from "./simulate.js";

const bands = { healthy: 75, watch: 60 };
const team = new Team([
  { id: "u_lead", email: "lead@x.example", name: "Lee Lead", role: "leader", manager_id: null, active: true },
  { id: "u_csm1", email: "one@x.example", name: "Cam One", role: "csm", manager_id: "u_lead", active: true },
  { id: "u_csm2", email: "two@x.example", name: "Cam Two", role: "csm", manager_id: "u_lead", active: true },
]);

const playbooks: Playbooks = playbooksSchema.parse({
  playbooks: [
    {
      key: "at_risk",
      name: "At risk",
      tier: 3,
      trigger: { band: "at_risk" },
      owner: "owner_manager",
      due: "48h",
      hysteresis: 3,
    },
    {
      key: "watch",
      name: "Watch",
      tier: 2,
      trigger: { band: "watch" },
      owner: "owner",
      due: "14d",
      cooldown: "45d",
      hysteresis: 2,
    },
  ],
});

const bandOf = (score: number): Band => (score >= 75 ? "healthy" : score >= 60 ? "watch" : "at_risk");
const MONTHS = ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"];

/** One account's monthly scores, from January 2025 (or from `first`). */
function scores(account: string, list: number[], first = 0): HistoryPoint[] {
  return list.map((score, i) => ({
    account,
    month: MONTHS[first + i] ?? "",
    score,
    band: bandOf(score),
    churn_probability: null,
    signals: [],
    metrics: {},
  }));
}

function account(id: string, owner: string | null, arr: number, churned_at: string | null): SimulatedAccount {
  return { id, name: id, owner_user: owner, segment: null, plan: null, arr, renewal_date: null, churned_at };
}

/**
 * Six accounts over January to June 2025 (weeks: Jan 1 to Jul 1 = 181 days = 25.857):
 * - A: watch in Feb (watch opens), at risk in Mar (at risk opens, supersedes watch); churns Apr 20.
 *   First play Feb 1: 78 days ahead. Both plays within 90 days of the churn.
 * - B: healthy throughout: nothing.
 * - C: watch in Jan (opens); 76 in Mar is healthy but within the hysteresis (< 77), so it holds;
 *   78 in Apr clears it (closed Apr 1); watch again in May is cooling down (30 < 45 days);
 *   in Jun (61 days) it opens again. Never churns.
 * - D: healthy until it churns on Mar 10: a churner no play reached.
 * - F: watch in Jun (opens); churns Jul 15 (after `to`, within 90 days): 44 days ahead.
 * - G: at risk from Jan (opens Jan 1); churns Jun 10: 160 days ahead, not within 90 days of the play.
 * - E: churned in December 2024, before the range: neither active nor a churner.
 */
const history: HistoryPoint[] = [
  ...scores("A", [80, 70, 55, 55]),
  ...scores("B", [80, 80, 80, 80, 80, 80]),
  ...scores("C", [70, 74, 76, 78, 70, 70]),
  ...scores("D", [80, 80, 80]),
  ...scores("F", [80, 80, 80, 80, 80, 65]),
  ...scores("G", [50, 50, 50, 50, 50, 50]),
  { ...scores("E", [80])[0]!, month: "2024-12-01" },
];
const accounts = [
  account("A", "u_csm1", 100, "2025-04-20T00:00:00Z"),
  account("B", "u_csm2", 200, null),
  account("C", "u_csm1", 300, null),
  account("D", null, 400, "2025-03-10T00:00:00Z"),
  account("F", "u_csm2", 500, "2025-07-15T00:00:00Z"),
  account("G", "u_csm2", 600, "2025-06-10T00:00:00Z"),
  account("E", "u_csm1", 700, "2024-12-15T00:00:00Z"),
];
const input = {
  playbooks,
  team,
  bands,
  history,
  accounts,
  from: "2025-01-01",
  to: "2025-06-30",
  flagThreshold: null,
};

describe("simulatePlaybooks on a hand-made history", () => {
  const r = simulatePlaybooks(input);

  it("replays each month start in the range", () => {
    expect(monthSteps("2025-01-01", "2025-06-30").map((t) => new Date(t).toISOString().slice(0, 10))).toEqual(
      MONTHS,
    );
    expect(monthSteps("2025-01-02", "2025-03-01")).toHaveLength(2);
    expect(r).toMatchObject({ months: 6, weeks: 25.86, accounts: 6 });
  });

  it("counts the plays: supersede, hysteresis and cooldown as evaluation decides them", () => {
    // A: watch + at risk; C: watch (Jan) + watch (Jun); F: watch; G: at risk.
    expect(r.plays_opened).toBe(6);
    expect(r.first_month_plays).toBe(2); // C's watch and G's at risk
    expect(r.per_playbook).toEqual([
      { playbook: "at_risk", name: "At risk", plays: 2, churners_reached: 2, plays_on_churners_share: 0.5 },
      { playbook: "watch", name: "Watch", plays: 4, churners_reached: 2, plays_on_churners_share: 0.5 },
    ]);
    expect(r.plays_per_week).toBe(0.23); // 6 / 25.857
  });

  it("gives each owner their load: the CSM's watch plays, the leader's at-risk plays", () => {
    expect(r.per_owner).toEqual([
      { owner: { id: "u_csm1", name: "Cam One", email: "one@x.example" }, plays: 3, per_week: 0.12 },
      { owner: { id: "u_lead", name: "Lee Lead", email: "lead@x.example" }, plays: 2, per_week: 0.08 },
      { owner: { id: "u_csm2", name: "Cam Two", email: "two@x.example" }, plays: 1, per_week: 0.04 },
    ]);
    expect(r.plays_per_owner_per_week).toBe(0.08); // 6 plays / 3 owners / 25.857 weeks
  });

  it("spreads each month's plays over its days, week by week", () => {
    expect(r.per_week).toHaveLength(26);
    expect(r.per_week[0]).toEqual({ week_start: "2025-01-01", plays: 0.45 }); // 2 × 7/31
    expect(r.per_week.at(-1)).toEqual({ week_start: "2025-06-25", plays: 0.4 }); // 2 × 6/30
    expect(r.per_week.reduce((s, w) => s + w.plays, 0)).toBeCloseTo(6, 0);
  });

  it("reaches churners ahead of their churn", () => {
    expect(r).toMatchObject({
      churners: 4, // A, D, F, G (E churned before the range)
      churners_reached: 3, // A 78 days, F 44, G 160
      churners_reached_share: 0.75,
      churners_reached_60d_share: 0.5, // A, G
      churners_reached_90d_share: 0.25, // G
      median_days_ahead: 78,
      // A's two plays and F's: within 90 days of the churn; C's two and G's (160 days) not.
      plays_on_churners_share: 0.5,
    });
    expect(r.churners_reached).toBeLessThanOrEqual(r.churners);
  });

  it("covers the ARR of the accounts that got a play", () => {
    expect(r).toMatchObject({ arr_total: 2100, arr_covered: 1500, arr_covered_share: 0.714 });
  });

  it("counts a play only within 365 days before the churn, and only before it", () => {
    const far = simulatePlaybooks({
      ...input,
      history: scores("A", [55, 80, 80, 80, 80, 80]),
      accounts: [account("A", "u_csm1", 100, "2026-03-01T00:00:00Z")],
      to: "2026-01-31",
    });
    // Opened 2025-01-01, churned 424 days later (within to + 90 days): not reached.
    expect(far).toMatchObject({ plays_opened: 1, churners: 1, churners_reached: 0, median_days_ahead: null });
  });

  it("flags at the model's threshold, and never without one", () => {
    const flagged: Playbooks = playbooksSchema.parse({
      playbooks: [{ key: "flag", name: "Flag", trigger: { model_flag: true }, owner: "owner", due: "7d" }],
    });
    const probable = scores("B", [80, 80]).map((h, i) => ({ ...h, churn_probability: i === 0 ? 0.2 : 0.6 }));
    const run = (flagThreshold: number | null) =>
      simulatePlaybooks({ ...input, playbooks: flagged, history: probable, flagThreshold }).plays_opened;
    expect(run(0.5)).toBe(1);
    expect(run(0.1)).toBe(1); // flagged in Jan; still held in Feb: one play
    expect(run(null)).toBe(0);
  });

  it("reads score drops from the months before the range", () => {
    const drop: Playbooks = playbooksSchema.parse({
      playbooks: [
        {
          key: "drop",
          name: "Drop",
          trigger: { score_drop: { points: 10, days: 62 } },
          owner: "owner",
          due: "7d",
        },
      ],
    });
    const h = [{ ...scores("B", [90])[0]!, month: "2024-11-01" }, ...scores("B", [85, 78])];
    const r2 = simulatePlaybooks({ ...input, playbooks: drop, history: h, from: "2025-01-01" });
    // Jan 1: 90 sixty-one days before, now 85 (5 points): nothing. Feb 1: the score as of 62 days
    // before (1 Dec) is the last snapshot by then, November's 90 (none for December): 78 is 12 down.
    expect(r2.plays_opened).toBe(1);
    const r3 = simulatePlaybooks({
      ...input,
      playbooks: drop,
      history: h.map((p) => (p.score === 85 ? { ...p, score: 79 } : p)),
    });
    // Jan 1: 90 (Nov 1, 61 days before) → 79: an 11-point drop opens it.
    expect(r3.plays_opened).toBe(1);
  });
});
