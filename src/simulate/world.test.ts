/**
 * Statistical properties of the simulated company, on 1,500 accounts over
 * 24 months: churn rates per segment, the share of sudden churn, and the
 * signals that precede churn (less usage, worse ticket tone).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { simulate } from "./simulate.js";
import { CountingSink } from "./sink.js";
import { hasNegativeMarker } from "./text.js";
import { type AccountTruth, MemoryTruth } from "./truth.js";

const START = Date.parse("2023-07-01T00:00:00Z");
const DAYS = 731;
const dayOf = (iso: string): number =>
  Math.floor((Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) - START) / 86_400_000);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("the simulated company", () => {
  const usage = new Map<string, Float64Array>();
  const tickets: Array<{ account: string; day: number; text: string }> = [];
  const truth = new MemoryTruth();
  let accounts: AccountTruth[] = [];
  let events = 0;

  beforeAll(async () => {
    const sink = new CountingSink((entity, r) => {
      if (entity === "events") {
        const id = r.account as string;
        let a = usage.get(id);
        if (!a) {
          a = new Float64Array(DAYS);
          usage.set(id, a);
        }
        a[dayOf(r.ts as string)]! += 1;
      } else if (entity === "tickets") {
        tickets.push({
          account: r.account as string,
          day: dayOf(r.opened_at as string),
          text: `${r.subject}\n${r.body}`,
        });
      }
    });
    await simulate({ accounts: 1500, seed: "stats", start: "2023-07-01" }, sink, truth);
    accounts = truth.accounts;
    events = sink.counts.events;
  });

  it("keeps event volume around 1,000–2,000 per account over 24 months", () => {
    expect(events / accounts.length).toBeGreaterThan(1000);
    expect(events / accounts.length).toBeLessThan(2000);
  });

  it("churns each segment at its configured annual rate", () => {
    // Accounts that were customers when the window opened: the share gone within 365 days.
    const rate = (segment: string): number => {
      const cohort = accounts.filter((t) => t.segment === segment && dayOf(t.started_at) < 0);
      return cohort.filter((t) => t.churn_date !== null && dayOf(t.churn_date) < 365).length / cohort.length;
    };
    expect(rate("smb")).toBeGreaterThan(0.22);
    expect(rate("smb")).toBeLessThan(0.34);
    expect(rate("mid_market")).toBeGreaterThan(0.07);
    expect(rate("mid_market")).toBeLessThan(0.18);
    expect(rate("enterprise")).toBeGreaterThan(0.01);
    expect(rate("enterprise")).toBeLessThan(0.13);
  });

  it("makes about a fifth of churn sudden", () => {
    const churned = accounts.filter((t) => t.churn_date !== null);
    const sudden = churned.filter((t) => t.churn_cause.startsWith("sudden:")).length / churned.length;
    expect(sudden).toBeGreaterThan(0.12);
    expect(sudden).toBeLessThan(0.28);
  });

  it("has renewals that looked risky and healthy accounts that expanded", () => {
    expect(accounts.filter((t) => t.archetype === "at_risk_renewed" && t.renewed).length).toBeGreaterThan(50);
    expect(accounts.filter((t) => t.expanded && t.churn_date === null).length).toBeGreaterThan(100);
  });

  it("starts gradual churners' decline 30–180 days before churn, most a quarter or more ahead", () => {
    const lengths = accounts
      .filter((t) => t.churn_cause === "gradual" && t.churn_date !== null && t.decline_start !== null)
      .filter((t) => dayOf(t.started_at) < dayOf(t.churn_date!) - 200)
      .map((t) => dayOf(t.churn_date!) - dayOf(t.decline_start!));
    expect(lengths.length).toBeGreaterThan(100);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(180);
    const sorted = [...lengths].sort((a, b) => a - b);
    expect(sorted[sorted.length >> 1]).toBeGreaterThan(120);
    const short = lengths.filter((x) => x < 90).length / lengths.length;
    expect(short).toBeGreaterThan(0.1);
    expect(short).toBeLessThan(0.35);
  });

  it("shows less usage in churners' last 60 days than in renewers' over the same days", () => {
    const stable = accounts.filter((t) => t.churn_date === null && t.future_churn_date === null);
    const sum = (id: string, from: number, to: number): number => {
      const u = usage.get(id);
      let x = 0;
      for (let d = from; u && d < to; d++) x += u[d]!;
      return x;
    };
    const ratios = { gradual: [] as number[], sudden: [] as number[] };
    for (const t of accounts) {
      if (t.churn_date === null) continue;
      const c = dayOf(t.churn_date);
      if (c < 150 || dayOf(t.started_at) > c - 150) continue;
      const peers = stable.filter((s) => s.segment === t.segment && dayOf(s.started_at) < c - 150);
      const peer = mean(peers.map((s) => sum(s.id, c - 60, c)));
      ratios[t.churn_cause === "gradual" ? "gradual" : "sudden"].push(sum(t.id, c - 60, c) / peer);
    }
    expect(ratios.gradual.length).toBeGreaterThan(100);
    expect(mean(ratios.gradual)).toBeLessThan(0.5);
    // Sudden churn gives weak signals: lower, but not by much.
    expect(mean(ratios.sudden)).toBeLessThan(1);
    expect(mean(ratios.sudden)).toBeGreaterThan(mean(ratios.gradual));
  });

  it("writes tickets in worse words in the 90 days before churn", () => {
    const churnDay = new Map(accounts.filter((t) => t.churn_date).map((t) => [t.id, dayOf(t.churn_date!)]));
    const healthy = new Set(
      accounts.filter((t) => t.archetype === "healthy" || t.archetype === "expander").map((t) => t.id),
    );
    const near: boolean[] = [];
    const calm: boolean[] = [];
    for (const t of tickets) {
      const c = churnDay.get(t.account);
      if (c !== undefined && t.day >= c - 90) near.push(hasNegativeMarker(t.text));
      else if (healthy.has(t.account)) calm.push(hasNegativeMarker(t.text));
    }
    const share = (xs: boolean[]): number => xs.filter(Boolean).length / xs.length;
    expect(near.length).toBeGreaterThan(300);
    expect(share(near)).toBeGreaterThan(0.5);
    expect(share(calm)).toBeLessThan(0.2);
    expect(share(near)).toBeGreaterThan(3 * share(calm));
  });
});
