import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CORE_FEATURES, METRIC_NAMES } from "../src/domain/index.js";
import { CHURN_KEYWORDS, CHURN_PATTERN } from "../src/metrics/churn-phrases.js";
import {
  CHURN_PHRASES,
  computeMetrics,
  computeSignals,
  METRICS,
  metricDefinition,
} from "../src/metrics/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { loadFixture, T } from "./metrics-fixture.js";

const ctx = { asOf: T, coreFeatures: DEFAULT_CORE_FEATURES };

/** Values worked out by hand from test/metrics-fixture.ts (see the comments there and below). */
const EXPECTED: Record<string, Record<string, number>> = {
  acc_a: {
    // usage: 30 d = days [05-02, 06-01); users c_a1 (05-02 twice, 05-20), usr_x (05-31)
    // and Chad@Alpha.Example (05-27), who is contact c_a5 by email
    active_users_30d: 3, // measured beats the imported 50
    active_days_per_user_30d: 4 / 3,
    actions_per_active_day_30d: 8 / 4, // 2+1 (05-02) + 1 + 3 + 1 over those 4 user-days; e_a5 has no user
    seat_utilisation: 3 / 12, // seats of the subscription active at T (12), not accounts.seats (10)
    core_feature_adoption_30d: 3 / 4,
    usage_trend_pct: 100, // last 30 d: 2+1+1+3+2+1 = 10; 60 d before: 6+4 = 10 → 5 per 30 d
    // support: 90 d = opened ≥ 03-03T00:00
    tickets_per_10_seats_90d: 2.5, // t_a1, t_a3, t_a4 → 3 × 10 / 12
    urgent_tickets_open: 2, // t_a3 (resolved after T), t_a6 (pending)
    median_first_response_hours_90d: 3, // 2 h and 4 h; t_a4's response came after T
    median_resolution_hours_90d: 10,
    ticket_sentiment_90d: (0.5 - 0.25 + 0.25) / 3,
    csat_180d: (4 + 2 + 5) / 3, // t_a1, t_a2, survey v_a7; t_a3 was rated after T
    nps_latest: (7 + 3 + 10) / 3, // c_a1's latest before T, c_a2, one anonymous answer
    // billing: invoices due in [12-03, T)
    avg_days_late_180d: (10 + 0 + 10 + 31 + 61) / 5,
    failed_payments_180d: 1,
    discount_pct_current: 20,
    seat_growth_180d: 50, // 8 seats at 12-03, 12 at T
    expansion_opportunities_180d: 2, // o_a1 won, o_a2 open
    // engagement
    exec_meeting_attendance_180d: 2 / 3, // m_a1 (sponsor), m_a4 (decision maker) of m_a1, m_a2, m_a4
    strategic_reviews_2q: 1, // m_a1; m_a5 is a day before the 182 days
    engaged_stakeholders_90d: 5, // c_a1 (events, meeting, survey, ticket), c_a2, c_a3, c_a4, c_a5 (events, by email)
    days_since_exec_contact: 6.5, // inbound note from the sponsor on 05-25 12:00
    days_since_champion_active: 5, // c_a5 on 05-27 (by email, any case); c_a1 last on 05-20
    // contract: started 2024-01-01 (s_a1), s_a2 active at T with a 12-month term
    days_to_renewal: 214, // next anniversary 2026-01-01
    contract_term_months: 12,
    tenure_days: 517, // 2024-01-01 → 2025-06-01 (2024 is a leap year)
    // imported
    product_qualified_seats: 7,
  },
  acc_b: {
    active_users_30d: 4, // imported: fills the implied zero
    seat_utilisation: 0,
    core_feature_adoption_30d: 0,
    tickets_per_10_seats_90d: 0,
    urgent_tickets_open: 0,
    failed_payments_180d: 0,
    seat_growth_180d: 0,
    expansion_opportunities_180d: 0,
    strategic_reviews_2q: 0,
    engaged_stakeholders_90d: 0,
    days_since_champion_active: 90, // champion c_b2 never used the product: the window's cap
    days_to_renewal: 0, // monthly since 2024-06-01: renews on T itself
    contract_term_months: 1,
    tenure_days: 365,
  },
  acc_c: {},
  acc_d: {
    active_users_30d: 0, // usage seen in the 90 days, none in the last 30
    core_feature_adoption_30d: 0,
    usage_trend_pct: -100,
    urgent_tickets_open: 0,
    ticket_sentiment_90d: -0.5,
    nps_latest: 2,
    failed_payments_180d: 0,
    expansion_opportunities_180d: 0,
    strategic_reviews_2q: 0,
    engaged_stakeholders_90d: 1, // c_d1 wrote an inbound note
    days_since_exec_contact: 20 + 15 / 24, // note from the decision maker on 05-11 09:00
  },
};

function expectClose(got: Record<string, number> | undefined, want: Record<string, number>, label: string) {
  expect(Object.keys(got ?? {}).sort(), `${label}: which metrics have values`).toEqual(
    Object.keys(want).sort(),
  );
  for (const [name, value] of Object.entries(want)) {
    expect(got?.[name], `${label}.${name}`).toBeCloseTo(value, 6);
  }
}

describe(`metrics (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await loadFixture(db);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("the catalogue names are the domain's metric names, each with a definition", () => {
    expect(METRICS.map((m) => m.name)).toEqual([...METRIC_NAMES]);
    for (const m of METRICS) {
      expect(metricDefinition(m.name)).toBe(m);
      expect(m.description.length, m.name).toBeGreaterThan(20);
      expect(m.missing_when.length, m.name).toBeGreaterThan(5);
    }
    expect(metricDefinition("product_qualified_seats")).toBeUndefined();
  });

  for (const account of Object.keys(EXPECTED)) {
    it(`${account}: every metric as worked out by hand (missing ones have no key)`, async () => {
      const all = await computeMetrics(db, ctx);
      expectClose(all.get(account), EXPECTED[account]!, account);
    });
  }

  it("returns every account, and only those asked for", async () => {
    const all = await computeMetrics(db, ctx);
    expect([...all.keys()]).toEqual(["acc_a", "acc_b", "acc_c", "acc_d"]);
    const some = await computeMetrics(db, { ...ctx, accounts: ["acc_d", "acc_a", "acc_nope"] });
    expect([...some.keys()]).toEqual(["acc_a", "acc_d"]);
    expect(some.get("acc_a")).toEqual(all.get("acc_a"));
    expect(some.get("acc_d")).toEqual(all.get("acc_d"));
    expect((await computeMetrics(db, { ...ctx, accounts: [] })).size).toBe(0);
  });

  it("core feature adoption follows the configured core features", async () => {
    const one = await computeMetrics(db, { ...ctx, coreFeatures: ["workflows.run", "api.call"] });
    expect(one.get("acc_a")?.core_feature_adoption_30d).toBe(0.5);
    const none = await computeMetrics(db, { ...ctx, coreFeatures: [] });
    expect(none.get("acc_a")).not.toHaveProperty("core_feature_adoption_30d");
  });

  it("windows end at T: a day later, the facts at T count", async () => {
    const later = await computeMetrics(db, { ...ctx, asOf: "2025-06-02T00:00:00Z" });
    const a = later.get("acc_a")!;
    expect(a.active_users_30d).toBe(4); // usr_t at T joins c_a1, usr_x, c_a5: 30 d = [05-03, 06-02)
    expect(a.days_since_champion_active).toBe(6); // c_a5's 05-27, a day further back
    expect(a.product_qualified_seats).toBe(99);
    expect(a.urgent_tickets_open).toBe(2); // t_a3 is resolved at 06-02 00:00 exactly: not before T
    const second = await computeMetrics(db, { ...ctx, asOf: "2025-06-02T00:00:01Z" });
    expect(second.get("acc_a")?.urgent_tickets_open).toBe(1);
    expect(a.strategic_reviews_2q).toBe(2); // m_a6 at T
    expect(later.get("acc_b")?.active_users_30d).toBe(40);
    expect(later.get("acc_c")).toEqual({ nps_latest: 8 });
    expect(later.get("acc_b")?.days_to_renewal).toBe(29); // the renewal on 06-01 is past: next 07-01
    expect(later.get("acc_a")?.days_to_renewal).toBe(213);
  });

  it("imported metrics: the latest value before T's day, under their own name", async () => {
    const before = await computeMetrics(db, { ...ctx, asOf: "2025-05-31T23:00:00Z" });
    expect(before.get("acc_a")?.product_qualified_seats).toBe(5); // 05-31 is T's own day
    const early = await computeMetrics(db, { ...ctx, asOf: "2025-05-01T00:00:00Z" });
    expect(early.get("acc_a")).not.toHaveProperty("product_qualified_seats");
  });

  it("rejects an asOf that is not a date", async () => {
    await expect(computeMetrics(db, { ...ctx, asOf: "yesterday" })).rejects.toThrow(RangeError);
    await expect(computeSignals(db, { ...ctx, asOf: "" })).rejects.toThrow(RangeError);
  });

  it("signals: each present one with its evidence", async () => {
    const signals = await computeSignals(db, ctx);
    expect(Object.fromEntries(signals)).toEqual({
      acc_a: [
        {
          name: "open_cancellation_or_escalation_ticket",
          detail: "open ticket t_a3 tagged escalation since 2025-05-30",
        },
        { name: "executive_detractor", detail: "NPS 3 from Sam Sponsor (executive sponsor) on 2025-03-10" },
      ],
      acc_b: [
        {
          name: "executive_sponsor_inactive",
          detail:
            "executive sponsor Bob Boss marked inactive (the contact's current flag, not as of the date)",
        },
        { name: "churn_notice", detail: 'note n_b1 on 2025-05-10 says "decided to cancel"' },
      ],
      acc_c: [],
      acc_d: [
        {
          name: "open_cancellation_or_escalation_ticket",
          detail: "open ticket t_d1 tagged cancellation_request since 2025-05-15",
        },
        {
          name: "churn_notice",
          detail:
            'ticket t_d1 on 2025-05-15 says "non-renewal"; renewal opportunity o_d1 lost (close date 2025-05-01)',
        },
      ],
    });
    const some = await computeSignals(db, { ...ctx, accounts: ["acc_d"] });
    expect([...some.keys()]).toEqual(["acc_d"]);
    expect(some.get("acc_d")).toEqual(signals.get("acc_d"));
  });

  it("signals age out: a detractor after 90 days, a notice after 180", async () => {
    const later = await computeSignals(db, { ...ctx, asOf: "2025-11-20T00:00:00Z" });
    expect(later.get("acc_a")?.map((s) => s.name)).toEqual([]);
    expect(later.get("acc_b")?.map((s) => s.name)).toEqual(["executive_sponsor_inactive"]);
    expect(later.get("acc_d")?.map((s) => s.name)).toEqual(["open_cancellation_or_escalation_ticket"]);
  });

  describe("churn phrases", () => {
    const NOTICE = [
      "Please treat this as formal notice that we will not renew our subscription.",
      "We'd like to cancel our plan at the end of the current term.",
      "Please turn off auto-renewal for our account; we will not renew.",
      "We have decided to cancel and need to know how to export our data.",
      "Notice of non-renewal",
      "Please don't auto-renew",
      "Cancellation request",
      "Ending our contract",
      "We won’t be renewing next year.",
      "We're moving to Salesforce in Q3.",
      "We intend to terminate the agreement.",
    ];
    const NOT_NOTICE = [
      "Leadership is questioning whether to renew.",
      "We are considering alternatives.",
      "Your renewal is coming up on 2025-06-30; can we schedule time to review?",
      "We're comparing you against Acme right now.",
      "Acme reached out offering to migrate us for free.",
      "The cancel button in the workflow editor does nothing.",
      "We're moving to a new office next week and would like to pause onboarding",
    ];

    it("match notices and not doubts", async () => {
      const match = async (text: string) =>
        (await db.query<{ m: boolean }>("SELECT $1::text ~* $2 AS m", [text, CHURN_PATTERN]))[0]?.m;
      for (const text of NOTICE) {
        expect(await match(text), text).toBe(true);
        expect(
          CHURN_KEYWORDS.some((k) => text.toLowerCase().includes(k)),
          `keyword in: ${text}`,
        ).toBe(true);
      }
      for (const text of NOT_NOTICE) expect(await match(text), text).toBe(false);
      expect(CHURN_PHRASES.length).toBeGreaterThan(5);
    });
  });
});
