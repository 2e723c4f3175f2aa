import { describe, expect, it } from "vitest";
import { bandLabel, contentOf, isSeverity, severityOf } from "./alert-content.js";
import { event, URL } from "./route.fixture.js";
import type { EventFacts, Severity } from "./types.js";

describe("severityOf", () => {
  const cases: [string, EventFacts, Severity][] = [
    ["a critical play", event("play.opened"), "critical"],
    ["an at-risk play", event("play.opened", { play: { band: "at_risk" } }), "at_risk"],
    ["a watch play's escalation", event("play.escalated", { play: { band: "watch" } }), "watch"],
    ["a play with no band: watch", event("play.overdue", { play: { band: null } }), "watch"],
    ["a play with a strange band: watch", event("play.opened", { play: { band: "purple" } }), "watch"],
    ["a play's facts missing: watch", event("play.opened", { play: null }), "watch"],
    ["a critical play closed: info", event("play.closed"), "info"],
    [
      "a band change: the new band",
      event("account.band_changed", {
        band: "watch",
        detail: { band_before: "watch", band_after: "critical" },
      }),
      "critical",
    ],
    [
      "a band change without detail: the account's band",
      event("account.band_changed", { band: "healthy" }),
      "healthy",
    ],
    ["a score drop: the account's band", event("account.score_dropped", { band: "watch" }), "watch"],
    ["a score drop with no band: watch", event("account.score_dropped", { band: null }), "watch"],
    ["a churn flag: at risk", event("account.flagged", { band: "healthy" }), "at_risk"],
    ["a signal's own severity", event("signal.detected", { detail: { severity: "critical" } }), "critical"],
    [
      "a high signal: at once, as at risk",
      event("signal.detected", { detail: { severity: "high" } }),
      "at_risk",
    ],
    [
      "a medium signal: the digest's watch",
      event("signal.detected", { detail: { severity: "medium" } }),
      "watch",
    ],
    ["a low signal: healthy", event("signal.detected", { detail: { severity: "low" } }), "healthy"],
    ["a signal with none: watch", event("signal.detected", { detail: { severity: "loud" } }), "watch"],
    ["something else: info", event("something.else"), "info"],
  ];
  it.each(cases)("%s", (_name, e, expected) => {
    expect(severityOf(e)).toBe(expected);
  });

  it("knows a severity when it sees one", () => {
    expect(["critical", "at_risk", "watch", "healthy", "info"].every(isSeverity)).toBe(true);
    expect([null, "", "at risk", 3].some(isSeverity)).toBe(false);
  });
});

describe("contentOf: titles", () => {
  const cases: [string, EventFacts, string][] = [
    ["play.opened", event("play.opened"), "Critical play opened: Acme Corp — Executive sponsor call"],
    [
      "play.opened at risk",
      event("play.opened", { play: { band: "at_risk", name: "Health check" } }),
      "At-risk play opened: Acme Corp — Health check",
    ],
    [
      "play.opened, no band",
      event("play.opened", { play: { band: null } }),
      "Play opened: Acme Corp — Executive sponsor call",
    ],
    ["play.overdue", event("play.overdue"), "Overdue: Acme Corp — Executive sponsor call"],
    [
      "play.closed",
      event("play.closed", { detail: { outcome: "saved" } }),
      "Play closed (saved): Acme Corp — Executive sponsor call",
    ],
    [
      "play.closed not needed",
      event("play.closed", { detail: { outcome: "not_needed" } }),
      "Play closed (not needed): Acme Corp — Executive sponsor call",
    ],
    [
      "play.escalated, for no one in particular",
      event("play.escalated", { detail: { level: 2, to_user: "vp", via: "owner_manager" } }),
      "Escalated (level 2): Acme Corp — Executive sponsor call",
    ],
    [
      "account.band_changed",
      event("account.band_changed", { detail: { band_before: "watch", band_after: "at_risk" } }),
      "Acme Corp moved from watch to at risk",
    ],
    [
      "account.band_changed, first band",
      event("account.band_changed", { detail: { band_after: "healthy" } }),
      "Acme Corp is now healthy",
    ],
    [
      "account.score_dropped",
      event("account.score_dropped", { detail: { score_before: 60, score_after: 48, drop: 12 } }),
      "Acme Corp's score dropped 12 points to 48",
    ],
    [
      "account.score_dropped, drop worked out",
      event("account.score_dropped", { detail: { score_before: 61.25, score_after: 50.5 } }),
      "Acme Corp's score dropped 10.8 points to 50.5",
    ],
    [
      "account.flagged",
      event("account.flagged", { detail: { probability_before: 0.4, probability: 0.64, threshold: 0.5 } }),
      "Acme Corp flagged: 64% chance of churn in 90 days",
    ],
    [
      "account.flagged with its horizon",
      event("account.flagged", { detail: { probability: 0.715, horizon_days: 60 } }),
      "Acme Corp flagged: 72% chance of churn in 60 days",
    ],
    [
      "signal.detected",
      event("signal.detected", { detail: { label: "Champion left" } }),
      "Signal on Acme Corp: Champion left",
    ],
  ];
  it.each(cases)("%s", (_name, e, title) => {
    expect(contentOf(e, URL).title).toBe(title);
  });

  it("words an escalation for the one it went to", () => {
    const up = event("play.escalated", { detail: { level: 2, to_user: "vp", via: "owner_manager" } });
    expect(contentOf(up, URL, "vp").title).toBe("Escalated to you: Acme Corp — Executive sponsor call");
    expect(contentOf(up, URL, "lead").title).toBe("Escalated (level 2): Acme Corp — Executive sponsor call");
    const reminder = event("play.escalated", { detail: { level: 1, to_user: "csm", via: "owner" } });
    expect(contentOf(reminder, URL, "csm").title).toBe("Reminder: Acme Corp — Executive sponsor call");
  });
});

describe("contentOf: the rest", () => {
  it("carries the account, the play, what is due and a link", () => {
    const e = event("play.opened", { account: "acc/1 x", at: new Date("2026-01-15T14:00:00Z") });
    expect(contentOf(e, `${URL}/`)).toEqual({
      event_type: "play.opened",
      title: "Critical play opened: Acme Corp — Executive sponsor call",
      account: { id: "acc/1 x", name: "Acme Corp", segment: "enterprise", arr: 120_000 },
      band: "at_risk",
      score: 48,
      trend: -12,
      churn_probability: 0.64,
      reason: "critical: the champion left",
      due_at: "2026-01-16T15:00:00.000Z",
      due_what: "Executive sponsor call",
      play: { id: "ply_1", name: "Executive sponsor call", owner: "Casey Smith", tier: 1 },
      link: "https://keepwell.example/accounts/acc%2F1%20x",
      occurred_at: "2026-01-15T14:00:00.000Z",
    });
  });

  it("has nothing due for a closed play or an account event", () => {
    expect(contentOf(event("play.closed"), URL)).toMatchObject({ due_at: null, due_what: null });
    expect(contentOf(event("account.flagged"), URL)).toMatchObject({
      due_at: null,
      due_what: null,
      play: null,
    });
  });

  const reasons: [string, EventFacts, string][] = [
    [
      "a band change",
      event("account.band_changed", {
        detail: { band_before: "watch", band_after: "at_risk", score_before: 64, score_after: 52.04 },
      }),
      "band moved from watch to at risk; score 64 → 52",
    ],
    [
      "a score drop",
      event("account.score_dropped", { detail: { score_before: 60, score_after: 48, drop: 12 } }),
      "score fell from 60 to 48 (12 points)",
    ],
    [
      "a churn flag",
      event("account.flagged", { detail: { probability_before: 0.4, probability: 0.64, threshold: 0.5 } }),
      "churn probability rose from 40% to 64%, at or over the 50% threshold",
    ],
    [
      "a play without its facts: the history line",
      event("play.opened", { play: null, detail: { reason: "at risk: 52, under 60" } }),
      "at risk: 52, under 60",
    ],
  ];
  it.each(reasons)("gives the reason for %s", (_name, e, reason) => {
    expect(contentOf(e, URL).reason).toBe(reason);
  });

  it("labels bands in words", () => {
    expect([bandLabel("at_risk"), bandLabel("critical"), bandLabel(null)]).toEqual([
      "at risk",
      "critical",
      "no band",
    ]);
  });
});
