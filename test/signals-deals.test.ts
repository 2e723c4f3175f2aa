/**
 * negotiation_friction on hand-built deals and their history as of T (a
 * discount above the account's and segment's norms, close dates slipping,
 * stages moving back, procurement pushback near an open renewal) and
 * critical_dissatisfaction (today's critical signals as one kind).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectSignals } from "../src/signals/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { accounts, addFindings, ago, dayBefore, importAll, load, T } from "./signals-fixture.js";

type Rec = Record<string, unknown>;
const deal = (id: string, account: string, close_date: string, status: string, more: Rec = {}): Rec => ({
  id,
  account,
  kind: "renewal",
  close_date,
  status,
  ...more,
});
const h = (at: string, stage: string, close_date: string, more: Rec = {}) => ({
  at,
  stage,
  close_date,
  ...more,
});

describe(`negotiation_friction (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await load(db, {
      accounts: [
        ...accounts(["acc_10", "acc_11"], "mid_market"),
        ...accounts(["acc_12", "acc_13", "acc_14", "acc_16"], "smb"),
        ...accounts(["acc_15"], "enterprise"),
      ],
      opportunities: [
        // acc_10: asks 30%; its own norm 5%, the segment's 20% (5, 20, 20): exactly 10 points over.
        deal("o101", "acc_10", "2025-07-15", "open", { stage: "negotiation", discount_requested_pct: 30 }),
        deal("o102", "acc_10", "2024-07-15", "won", { discount_requested_pct: 5 }),
        // acc_11: asks 20% as always; its close date slipped twice and its stage went back.
        deal("o111", "acc_11", "2025-08-01", "open", {
          stage: "proposal",
          discount_requested_pct: 20,
          history: [
            h("2025-03-01T00:00:00Z", "proposal", "2025-06-01"),
            h("2025-04-01T00:00:00Z", "negotiation", "2025-07-01"),
            h("2025-05-01T00:00:00Z", "proposal", "2025-08-01"),
          ],
        }),
        deal("o112", "acc_11", "2024-08-01", "won", { discount_requested_pct: 20 }),
        deal("o113", "acc_11", "2023-08-01", "won", { discount_requested_pct: 20 }),
        // acc_12: closes beyond 120 days: not near; its pushback does not count either.
        deal("o121", "acc_12", "2025-12-01", "open", { discount_requested_pct: 40 }),
        // acc_13: an open renewal near, and pushback in a note 31 days ago.
        deal("o131", "acc_13", "2025-09-01", "open", { stage: "proposal" }),
        // acc_14: one slip before T, another at T: not yet slipping twice.
        deal("o141", "acc_14", "2025-08-01", "open", {
          history: [
            h("2025-04-01T00:00:00Z", "proposal", "2025-07-01"),
            h("2025-05-01T00:00:00Z", "proposal", "2025-07-15"),
            h(T, "proposal", "2025-08-01"),
          ],
        }),
        // acc_15: won before T with a big discount: not open then.
        deal("o151", "acc_15", "2025-05-20", "won", { discount_requested_pct: 50 }),
        // acc_16: won after T, but at T (its history then) it was open, slipping twice, asking 35%.
        deal("o161", "acc_16", "2025-06-20", "won", {
          stage: "closed",
          discount_requested_pct: 35,
          history: [
            h("2025-01-01T00:00:00Z", "negotiation", "2025-03-01", { discount_requested_pct: 35 }),
            h("2025-02-15T00:00:00Z", "negotiation", "2025-04-01", { discount_requested_pct: 35 }),
            h("2025-03-20T00:00:00Z", "commit", "2025-05-01", { discount_requested_pct: 35 }),
            h("2025-06-10T00:00:00Z", "closed", "2025-06-20", { discount_requested_pct: 35 }),
          ],
        }),
      ],
    });
    const push = (record_id: string, account: string, at: string, sentence: string, match: string) => ({
      entity: "notes" as const,
      record_id,
      account,
      at,
      kind: "procurement_pushback",
      sentence,
      match,
    });
    await addFindings(db, [
      push("n121", "acc_12", ago(5), "Legal is redlining the MSA.", "redlining"),
      push("n131", "acc_13", ago(31), "Procurement wants another round on price.", "Procurement"),
      push("n132", "acc_13", ago(61), "Budget freeze until Q3.", "Budget freeze"),
      push("n133", "acc_13", T, "Legal has more redlines.", "redlines"),
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("one per account, each reason as evidence", async () => {
    const found = await detectSignals(db, { asOf: T, kinds: ["negotiation_friction"] });
    expect(found.map((s) => s.account)).toEqual(["acc_10", "acc_11", "acc_13", "acc_16"]);
    const [a10, a11, a13, a16] = found;
    expect(a10?.severity).toBe("high");
    expect(a10?.evidence).toEqual([
      {
        entity: "opportunities",
        id: "o101",
        date: T.slice(0, 10),
        text: "renewal deal o101 (closing 2025-07-15) asks a 30% discount; the account's previous deals' median is 5%, the segment's 20%",
      },
    ]);
    expect(a10?.summary).toBe("a discount well above the norm (o101)");
    expect(a11?.evidence.map((e) => e.text)).toEqual([
      "renewal deal o111: stage moved back (negotiation to proposal on 2025-05-01)",
      "renewal deal o111: close date slipped 2 times (2025-06-01 → 2025-07-01, 2025-07-01 → 2025-08-01)",
    ]);
    expect(a11?.summary).toBe("a close date slipping and a stage moving backwards (o111)");
    expect(a13?.evidence).toEqual([
      {
        entity: "notes",
        id: "n131",
        date: dayBefore(31),
        text: "Procurement wants another round on price.",
        match: [0, 11],
      },
    ]);
    expect(a13?.summary).toBe("procurement pushback in 1 record");
    expect(a16?.evidence.map((e) => e.text)).toEqual([
      "renewal deal o161 (closing 2025-05-01) asks a 35% discount; the account's previous deals' median is 0%, the segment's 0%",
      "renewal deal o161: close date slipped 2 times (2025-03-01 → 2025-04-01, 2025-04-01 → 2025-05-01)",
    ]);
    expect(a16?.evidence[0]).toMatchObject({ date: "2025-03-20" });
  });

  it("as of a day after o161's closing entry it is no longer open", async () => {
    const found = await detectSignals(db, {
      asOf: "2025-06-11T00:00:00Z",
      accounts: ["acc_16"],
      kinds: ["negotiation_friction"],
    });
    expect(found).toEqual([]);
  });

  it("the trigger keeps history when an import changes a deal without sending it", async () => {
    await importAll(db, {
      opportunities: [deal("o141", "acc_14", "2025-09-01", "open", { stage: "proposal" })],
    });
    // The trigger's entry is dated now (after T): as of T nothing changes.
    const atT = await detectSignals(db, { asOf: T, accounts: ["acc_14"], kinds: ["negotiation_friction"] });
    expect(atT).toEqual([]);
    const later = await detectSignals(db, {
      asOf: new Date(Date.now() + 60_000).toISOString(),
      accounts: ["acc_14"],
      kinds: ["negotiation_friction"],
    });
    expect(later[0]?.evidence[0]?.text).toMatch(/^renewal deal o141: close date slipped 3 times/);
  });
});

describe(`critical_dissatisfaction (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await load(db, {
      accounts: accounts(["acc_20", "acc_21"]),
      tickets: [
        {
          id: "tk201",
          account: "acc_20",
          opened_at: "2025-05-10T09:00:00Z",
          status: "open",
          tags: ["cancellation_request"],
          subject: "Cancel",
        },
        {
          id: "tk211",
          account: "acc_21",
          opened_at: T,
          status: "open",
          tags: ["cancellation_request"],
          subject: "Cancel",
        },
      ],
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("today's critical signals as one kind, critical, their detail lines as evidence", async () => {
    const found = await detectSignals(db, { asOf: T, kinds: ["critical_dissatisfaction"] });
    expect(found).toEqual([
      {
        kind: "critical_dissatisfaction",
        account: "acc_20",
        contact: null,
        competitor: null,
        severity: "critical",
        first_evidence_at: T,
        last_evidence_at: T,
        summary: "open cancellation or escalation ticket",
        evidence: [
          {
            text: "open cancellation or escalation ticket: open ticket tk201 tagged cancellation_request since 2025-05-10",
            values: { signal: "open_cancellation_or_escalation_ticket" },
          },
        ],
        occurrences: 1,
      },
    ]);
  });
});
