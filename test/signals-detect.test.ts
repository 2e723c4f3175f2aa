/**
 * The text detectors (competitor_mention, feature_parity_request,
 * evaluating_alternatives) on hand-built findings, point in time, and
 * detectSignals' scope: only the accounts asked for, nothing from T on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectSignals } from "../src/signals/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { accounts, addCompetitors, addFindings, ago, load, T } from "./signals-fixture.js";

const NW = "Northwind Analytics";
const mention = (
  record_id: string,
  entity: "tickets" | "notes" | "surveys" | "opportunities",
  at: string,
  competitor: string,
  sentence: string,
  match: string,
  account = "acc_1",
) => ({ entity, record_id, account, at, kind: "competitor_mention", competitor, sentence, match });

describe(`text detectors (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await load(db, {
      accounts: accounts(["acc_1", "acc_2", "acc_3"]),
      opportunities: [
        // Lost 120 days before T to "northwind" (an alias, any case): the canonical name.
        {
          id: "o1",
          account: "acc_1",
          kind: "renewal",
          close_date: ago(120).slice(0, 10),
          status: "lost",
          competitor: "northwind",
          lost_reason: "price",
        },
        // Lost too long ago (181 days).
        {
          id: "o2",
          account: "acc_1",
          kind: "renewal",
          close_date: ago(181).slice(0, 10),
          status: "lost",
          competitor: NW,
        },
        // Lost to Contoso, named in its lost reason too: one piece of evidence, the sentence.
        {
          id: "o3",
          account: "acc_1",
          kind: "expansion",
          close_date: ago(17).slice(0, 10),
          status: "lost",
          competitor: "Contoso",
          lost_reason: "They chose Contoso for the API.",
        },
        // Open: a competitor field on an open deal is not a loss.
        {
          id: "o4",
          account: "acc_1",
          kind: "renewal",
          close_date: "2025-07-01",
          status: "open",
          competitor: NW,
        },
        // Lost at T's day: not before T.
        {
          id: "o5",
          account: "acc_1",
          kind: "renewal",
          close_date: T.slice(0, 10),
          status: "lost",
          competitor: NW,
        },
      ],
    });
    await addCompetitors(db, [
      { name: NW, aliases: ["Northwind"] },
      { name: "Contoso", aliases: [] },
    ]);
    await addFindings(db, [
      mention("t1", "tickets", ago(12), NW, "We might move to Northwind next year.", "Northwind"),
      mention(
        "n1",
        "notes",
        ago(61),
        NW,
        "Their CFO met Northwind Analytics last week.",
        "Northwind Analytics",
      ),
      mention("n2", "notes", ago(90), NW, "Northwind came up again.", "Northwind"), // exactly 90 days: counts
      mention("n3", "notes", ago(90.0001), NW, "Northwind was mentioned.", "Northwind"), // just over: no
      mention("t2", "tickets", T, NW, "Northwind is cheaper.", "Northwind"), // at T: no
      mention("s1", "surveys", ago(31), "Contoso", "Contoso has better exports.", "Contoso"),
      mention("o3", "opportunities", ago(17), "Contoso", "They chose Contoso for the API.", "Contoso"),
      mention("t3", "tickets", ago(5), NW, "Northwind again.", "Northwind", "acc_3"),
      // parity and evaluation at acc_2
      {
        entity: "tickets",
        record_id: "t21",
        account: "acc_2",
        at: ago(3),
        kind: "feature_parity_request",
        competitor: NW,
        sentence: "Northwind does this out of the box.",
        match: "does this out of the box",
      },
      {
        entity: "notes",
        record_id: "n21",
        account: "acc_2",
        at: ago(40),
        kind: "feature_parity_request",
        competitor: NW,
        sentence: "We need parity with Northwind on alerts.",
        match: "need parity with",
      },
      {
        entity: "notes",
        record_id: "n22",
        account: "acc_2",
        at: ago(20),
        kind: "feature_parity_request",
        competitor: "Contoso",
        sentence: "Contoso lets us schedule reports.",
        match: "lets us",
      },
      {
        entity: "surveys",
        record_id: "s21",
        account: "acc_2",
        at: ago(50),
        kind: "feature_parity_request",
        competitor: null,
        sentence: "Others support SSO out of the box.",
        match: "out of the box",
      },
      {
        entity: "tickets",
        record_id: "t22",
        account: "acc_2",
        at: T,
        kind: "feature_parity_request",
        competitor: "Contoso",
        sentence: "Contoso has it.",
        match: "has it",
      },
      {
        entity: "tickets",
        record_id: "t23",
        account: "acc_2",
        at: ago(100),
        kind: "feature_parity_request",
        competitor: "Contoso",
        sentence: "Contoso has it.",
        match: "has it",
      },
      {
        entity: "notes",
        record_id: "n23",
        account: "acc_2",
        at: ago(8),
        kind: "evaluating_alternatives",
        competitor: null,
        sentence: "We are evaluating other vendors this quarter.",
        match: "evaluating other vendors",
      },
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("competitor_mention: one per (account, competitor), from text in 90 days and lost deals in 180, newest first", async () => {
    const found = await detectSignals(db, { asOf: T, kinds: ["competitor_mention"] });
    const nw = found.find((s) => s.account === "acc_1" && s.competitor === NW);
    expect(nw).toBeDefined();
    expect(nw?.occurrences).toBe(4);
    expect(nw?.evidence.map((e) => ("id" in e ? e.id : null))).toEqual(["t1", "n1", "n2", "o1"]);
    expect(nw?.evidence[0]).toEqual({
      entity: "tickets",
      id: "t1",
      date: ago(12).slice(0, 10),
      text: "We might move to Northwind next year.",
      match: [17, 26],
    });
    expect(nw?.evidence[3]).toEqual({
      entity: "opportunities",
      id: "o1",
      date: ago(120).slice(0, 10),
      text: `deal o1 lost to ${NW}: price`,
    });
    expect(nw?.summary).toBe(`${NW} named in 1 ticket, 2 notes and 1 lost deal`);
    expect(nw?.severity).toBe("medium");
    expect(nw?.first_evidence_at).toBe(`${ago(120).slice(0, 10)}T00:00:00.000Z`);
    expect(nw?.last_evidence_at).toBe(ago(12));
    const contoso = found.find((s) => s.account === "acc_1" && s.competitor === "Contoso");
    expect(contoso?.occurrences).toBe(2);
    expect(contoso?.evidence).toEqual([
      {
        entity: "opportunities",
        id: "o3",
        date: ago(17).slice(0, 10),
        text: "They chose Contoso for the API.",
        match: [11, 18],
      },
      {
        entity: "surveys",
        id: "s1",
        date: ago(31).slice(0, 10),
        text: "Contoso has better exports.",
        match: [0, 7],
      },
    ]);
    expect(found.map((s) => `${s.account}|${s.competitor}`)).toEqual([
      `acc_1|Contoso`,
      `acc_1|${NW}`,
      `acc_3|${NW}`,
    ]);
  });

  it("feature_parity_request: one per account, the competitor named most, 90 days", async () => {
    const [parity, ...rest] = await detectSignals(db, { asOf: T, kinds: ["feature_parity_request"] });
    expect(rest).toEqual([]);
    expect(parity?.account).toBe("acc_2");
    expect(parity?.competitor).toBe(NW);
    expect(parity?.occurrences).toBe(4);
    expect(parity?.evidence.map((e) => ("id" in e ? e.id : null))).toEqual(["t21", "n22", "n21", "s21"]);
    expect(parity?.evidence[0]).toMatchObject({
      text: "Northwind does this out of the box.",
      match: [10, 34],
    });
    expect(parity?.summary).toBe(
      `feature parity asked for in 1 ticket, 2 notes and 1 survey comment (with ${NW})`,
    );
  });

  it("evaluating_alternatives: without a competitor, high", async () => {
    const found = await detectSignals(db, { asOf: T, kinds: ["evaluating_alternatives"] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      account: "acc_2",
      competitor: null,
      severity: "high",
      summary: "evaluating alternatives: said in 1 note",
      evidence: [
        { entity: "notes", id: "n23", text: "We are evaluating other vendors this quarter.", match: [7, 31] },
      ],
    });
  });

  it("reads only the accounts asked for, and none for an empty list", async () => {
    const some = await detectSignals(db, { asOf: T, accounts: ["acc_3"] });
    expect(some.map((s) => `${s.kind}|${s.account}`)).toEqual(["competitor_mention|acc_3"]);
    expect(await detectSignals(db, { asOf: T, accounts: [] })).toEqual([]);
  });

  it("as of a later date the window moves; a bad date is refused", async () => {
    const later = await detectSignals(db, { asOf: "2025-06-02T00:00:00Z", kinds: ["competitor_mention"] });
    const nw = later.find((s) => s.account === "acc_1" && s.competitor === NW);
    // n2 fell out of the 90 days; t2 (at the earlier T) counts now, and o5 (lost on the earlier T's day, first by entity).
    expect(nw?.evidence.map((e) => ("id" in e ? e.id : null))).toEqual(["o5", "t2", "t1", "n1", "o1"]);
    await expect(detectSignals(db, { asOf: "not a date" })).rejects.toThrow(RangeError);
  });
});
