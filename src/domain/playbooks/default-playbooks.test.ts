import { describe, expect, it } from "vitest";
import { decide } from "./decide.js";
import { DEFAULT_PLAYBOOKS, DEFAULT_PLAYBOOKS_YAML } from "./default-playbooks.js";
import type { AccountFacts } from "./facts.js";
import { Team } from "./owners.js";
import { namedUsers, parsePlaybooksYaml } from "./parse-playbooks.js";

describe("the default playbooks", () => {
  it("parse from their YAML, the same as DEFAULT_PLAYBOOKS", () => {
    const r = parsePlaybooksYaml(DEFAULT_PLAYBOOKS_YAML);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value).toEqual(DEFAULT_PLAYBOOKS);
    expect(namedUsers(r.value)).toEqual([]);
  });

  it("are the issue's four tiers, and the signals' two plays beside them (tier 0: they supersede nothing)", () => {
    expect(
      DEFAULT_PLAYBOOKS.playbooks.map((p) => [
        p.key,
        p.tier,
        p.trigger,
        p.owner,
        p.due,
        p.enabled,
        p.audience,
      ]),
    ).toEqual([
      ["critical", 4, { band: "critical" }, "executive", "0h", true, undefined],
      ["at_risk", 3, { band: "at_risk" }, "owner_manager", "48h", true, undefined],
      ["watch", 2, { band: "watch" }, "owner", "14d", true, undefined],
      [
        "competitive_win_back",
        0,
        {
          signals: {
            any_of: [
              "competitor_mention",
              "feature_parity_request",
              "evaluating_alternatives",
              "negotiation_friction",
              "stakeholder_silence",
            ],
            at_least: 2,
            within_days: 30,
          },
        },
        "owner_manager",
        "14d",
        true,
        undefined,
      ],
      ["champion_change", 0, { signal: "champion_departure" }, "owner", "14d", true, undefined],
      ["healthy_nurture", 1, { band: "healthy" }, "owner", "30d", true, undefined],
    ]);
  });

  it("win-back: the seed's three steps, led by account leadership; champion change: the successor within 14 days", () => {
    const w = DEFAULT_PLAYBOOKS.playbooks.find((x) => x.key === "competitive_win_back");
    expect(w?.steps.map((s) => [s.key, s.owner ?? "owner"])).toEqual([
      ["differentiation", "owner"],
      ["strategic_review", "owner_manager"],
      ["sponsor_connect", "executive"],
    ]);
    const c = DEFAULT_PLAYBOOKS.playbooks.find((x) => x.key === "champion_change");
    expect(c?.steps.find((s) => s.key === "onboard_successor")?.due).toBe("14d");
  });

  it("at risk: assess within 24 h, plan within 48 h, review in 14 d; cleared at 63", () => {
    const p = DEFAULT_PLAYBOOKS.playbooks.find((x) => x.key === "at_risk");
    expect(p?.steps.map((s) => [s.key, s.due])).toEqual([
      ["assess_health", "24h"],
      ["intervention_plan", "48h"],
      ["review", "14d"],
    ]);
    expect(p?.hysteresis).toBe(3);
  });

  it("watch: remind the owner at 50%, the manager when overdue, the executive at 150%", () => {
    const p = DEFAULT_PLAYBOOKS.playbooks.find((x) => x.key === "watch");
    expect(p?.escalation).toEqual([
      { at: "50%", to: "owner" },
      { at: "100%", to: "owner_manager" },
      { at: "150%", to: "executive" },
    ]);
  });

  it("healthy: nurture with expansion, advocacy and a beta", () => {
    const p = DEFAULT_PLAYBOOKS.playbooks.find((x) => x.key === "healthy_nurture");
    expect(p?.steps.map((s) => s.key)).toEqual(["expansion", "advocacy", "beta"]);
  });

  it("every playbook has a cooldown, steps and a readable name and description", () => {
    for (const p of DEFAULT_PLAYBOOKS.playbooks) {
      expect(p.cooldown, p.key).toMatch(/^\d+d$/);
      expect(p.steps.length, p.key).toBeGreaterThan(0);
      expect(p.name.length, p.key).toBeGreaterThan(10);
      expect(p.description?.length ?? 0, p.key).toBeGreaterThan(20);
    }
  });

  it("open exactly one play per band, for the band's playbook", () => {
    const team = new Team([]);
    const base: Omit<AccountFacts, "account" | "score" | "band" | "signals"> = {
      name: "A",
      segment: null,
      plan: null,
      arr: null,
      renewal_date: null,
      owner_user: null,
      churn_probability: null,
      flagged: false,
      metrics: {},
      history: [],
    };
    const facts: AccountFacts[] = [
      { ...base, account: "healthy", score: 80, band: "healthy", signals: [] },
      { ...base, account: "watch", score: 68, band: "watch", signals: [] },
      { ...base, account: "at_risk", score: 55, band: "at_risk", signals: [] },
      { ...base, account: "critical", score: 80, band: "critical", signals: ["churn_notice"] },
    ];
    const ds = decide({
      playbooks: DEFAULT_PLAYBOOKS,
      facts,
      open: [],
      lastClosed: [],
      team,
      bands: { healthy: 75, watch: 60 },
      now: new Date("2025-06-01T00:00:00Z"),
    });
    expect(ds.map((d) => (d.kind === "open" ? [d.play.account, d.play.playbook] : d.kind))).toEqual([
      ["healthy", "healthy_nurture"],
      ["watch", "watch"],
      ["at_risk", "at_risk"],
      ["critical", "critical"],
    ]);
  });
});
