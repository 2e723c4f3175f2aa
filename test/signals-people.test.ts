/**
 * stakeholder_silence and champion_departure on hand-built people, as of T:
 * each person judged against their own history (3 × their usual gap, at
 * least 30 days, at least 4 contact days), an account gone dark, and each way
 * a champion departs (and the boundaries: at T, 120 days, 8 days of use).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectSignals } from "../src/signals/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import {
  accounts,
  addFindings,
  ago,
  dayBefore,
  hence,
  importAll,
  load,
  meeting,
  note,
  T,
  use,
} from "./signals-fixture.js";

const person = (
  id: string,
  account: string,
  name: string,
  role: string,
  more: Record<string, unknown> = {},
) => ({
  id,
  account,
  name,
  role,
  ...more,
});

describe(`stakeholder_silence (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await load(db, {
      accounts: accounts(["acc_3", "acc_4", "acc_5"]),
      contacts: [
        person("c31", "acc_3", "Cara Champ", "champion"),
        person("c32", "acc_3", "Dee Decider", "decision_maker", { email: "dee@three.example" }),
        person("c41", "acc_4", "Sam Sponsor", "executive_sponsor"),
        person("c42", "acc_4", "Ravi Martin", "champion", { user_id: "u42" }),
        person("c43", "acc_4", "Uma User", "user"),
        person("c51", "acc_5", "Nia Near", "executive_sponsor"),
        person("c52", "acc_5", "Few Contacts", "champion"),
        person("c53", "acc_5", "Gone Before", "champion", { active: false, inactive_since: "2025-01-01" }),
      ],
      meetings: [
        // c31: every 10 days, last 70 days ago: silent (70 > 30 and ≥ 30).
        ...[100, 90, 80, 70].map((n) => meeting(`m31_${n}`, "acc_3", ago(n), ["c31", "c43"])),
        meeting("m31_at", "acc_3", T, ["c31"]), // at T: never counts
        meeting("m31_x", "acc_3", ago(5), ["c31"], "cancelled"), // not held
        // c53 departed: their silence is not a signal.
        ...[200, 190, 180, 170].map((n) => meeting(`m53_${n}`, "acc_5", ago(n), ["c53"])),
      ],
      notes: [
        note("n31", "acc_3", "c31", ago(3), "outbound"), // outbound: not two-way contact
        // c41: every 5 days, last exactly 30 days ago: silent (30 > 15, and 30 ≥ 30).
        ...[45, 40, 35, 30].map((n) => note(`n41_${n}`, "acc_4", "c41", ago(n))),
        // c51: every 5 days, last 29 days ago: not silent (under 30 days).
        ...[44, 39, 34, 29].map((n) => note(`n51_${n}`, "acc_5", "c51", ago(n))),
        // c52: 3 contacts only: no usual gap.
        ...[300, 200, 100].map((n) => note(`n52_${n}`, "acc_5", "c52", ago(n))),
      ],
      events: [
        // c32, by email: every 15 days, last 45 days ago: exactly 3 × the gap, not silent.
        ...[90, 75, 60, 45].map((n) => use(`e32_${n}`, "acc_3", "dee@three.example", ago(n))),
        // c42, by user_id: every 20 days, last 140 days ago.
        ...[200, 180, 160, 140].map((n) => use(`e42_${n}`, "acc_4", "u42", ago(n))),
        use("e31_dup", "acc_3", "c31", ago(89.7)), // a meeting day: one contact day still
        use("e42_at", "acc_4", "u42", T),
        use("e42_id", "acc_4", "c42", ago(2)), // their contact id is not their user id (user_id is set)
      ],
    });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("one per silent stakeholder, in numbers; the boundaries hold", async () => {
    const found = await detectSignals(db, { asOf: T, kinds: ["stakeholder_silence"] });
    expect(found.map((s) => s.contact)).toEqual(["c31", "c41", "c42"]);
    const cara = found[0]!;
    expect(cara).toMatchObject({
      account: "acc_3",
      severity: "medium",
      summary: "champion Cara Champ: last two-way contact 70 days ago; usual gap 10 days",
      first_evidence_at: `${dayBefore(70)}T00:00:00.000Z`,
    });
    expect(cara.evidence).toEqual([
      {
        text: "champion Cara Champ: last two-way contact 70 days ago; usual gap 10 days",
        values: {
          role: "champion",
          days_since_contact: 70,
          usual_gap_days: 10,
          contact_days: 4,
          last_contact: dayBefore(70),
        },
      },
    ]);
  });

  it("an account where every engaged stakeholder is silent is dark: high, and says so", async () => {
    const found = await detectSignals(db, { asOf: T, accounts: ["acc_4"], kinds: ["stakeholder_silence"] });
    expect(found).toHaveLength(2);
    for (const s of found) {
      expect(s.severity).toBe("high");
      expect(s.summary).toMatch(/^account dark: all 2 engaged stakeholders silent; /);
      expect(s.evidence[1]).toEqual({
        text: "account dark: 2 of 2 engaged stakeholders silent",
        values: { silent: 2, stakeholders: 2 },
      });
    }
    expect(found[0]?.summary).toContain(
      "executive sponsor Sam Sponsor: last two-way contact 30 days ago; usual gap 5 days",
    );
    expect(found[1]?.summary).toContain(
      "champion Ravi Martin: last two-way contact 140 days ago; usual gap 20 days",
    );
  });

  it("facts dated at or after T change nothing as of T", async () => {
    const atT = await detectSignals(db, { asOf: T });
    expect(atT.length).toBeGreaterThan(0);
    await importAll(db, {
      meetings: ["c31", "c32", "c41", "c42", "c51"].map((c, i) =>
        meeting(
          `m_late_${i}`,
          c === "c41" || c === "c42" ? "acc_4" : c === "c51" ? "acc_5" : "acc_3",
          hence(i),
          [c],
        ),
      ),
      notes: [note("n_late", "acc_4", "c41", T), note("n_late2", "acc_3", "c31", hence(3))],
      events: [use("e_late", "acc_4", "u42", T), use("e_late2", "acc_3", "dee@three.example", hence(1))],
    });
    await addFindings(db, [
      {
        entity: "notes",
        record_id: "n_late",
        account: "acc_4",
        contact: "c41",
        at: T,
        kind: "departure",
        sentence: "Sam Sponsor has left.",
        match: "has left",
      },
      {
        entity: "notes",
        record_id: "n_late",
        account: "acc_4",
        at: T,
        kind: "competitor_mention",
        competitor: "Contoso",
        sentence: "Contoso called.",
        match: "Contoso",
      },
    ]);
    expect(await detectSignals(db, { asOf: T })).toEqual(atT);
    const later = await detectSignals(db, { asOf: hence(4) });
    expect(later.some((s) => s.kind === "champion_departure" && s.contact === "c41")).toBe(true);
  });

  it("one day earlier, c41 was not yet silent (29 days) and acc_4 not dark", async () => {
    const found = await detectSignals(db, {
      asOf: ago(1),
      accounts: ["acc_4"],
      kinds: ["stakeholder_silence"],
    });
    expect(found.map((s) => [s.contact, s.severity])).toEqual([["c42", "medium"]]);
  });
});

describe(`champion_departure (${storeName})`, () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
    await load(db, {
      accounts: accounts(["acc_6", "acc_7", "acc_8", "acc_9"]),
      contacts: [
        person("c61", "acc_6", "Ina Active", "champion", { active: false, inactive_since: dayBefore(92) }),
        person("c62", "acc_6", "Old Leaver", "executive_sponsor", {
          active: false,
          inactive_since: dayBefore(121),
        }),
        person("c63", "acc_6", "Rob Moved", "user", {
          previous_role: "champion",
          role_changed_at: dayBefore(31),
        }),
        person("c64", "acc_6", "Tess Today", "user", {
          previous_role: "champion",
          role_changed_at: T.slice(0, 10),
        }),
        person("c65", "acc_6", "Bo Bounce", "champion", { email_bounced_at: ago(1 / 86_400) }),
        person("c66", "acc_6", "Late Leaver", "champion", { active: false, inactive_since: T.slice(0, 10) }),
        person("c67", "acc_6", "No Date", "champion", { active: false }),
        person("c71", "acc_7", "Priya Shah", "champion"),
        person("c72", "acc_7", "Sue Sponsor", "executive_sponsor"),
        person("c73", "acc_7", "Lee Leaving", "champion"),
        person("c81", "acc_8", "Use Stopped", "champion"),
        person("c82", "acc_8", "Colleague", "user"),
        person("c85", "acc_8", "Still Here", "executive_sponsor"),
        person("c83", "acc_8", "Light User", "champion"),
        person("c91", "acc_9", "Alone", "champion"),
      ],
      events: [
        // c81: 8 distinct days in the 90 before the last 30, then nothing; a colleague 10 days ago.
        ...[31, 40, 50, 60, 70, 80, 90, 119].map((n) => use(`e81_${n}`, "acc_8", "c81", ago(n))),
        use("e81_dup", "acc_8", "c81", ago(39.5)), // same day as another: still 8 days
        use("e82", "acc_8", "c82", ago(10)),
        // c85: 8 days, one of them 30 days before T: still using.
        ...[30, 40, 50, 60, 70, 80, 90, 100].map((n) => use(`e85_${n}`, "acc_8", "c85", ago(n))),
        // c83: 7 days only.
        ...[40, 50, 60, 70, 80, 90, 100].map((n) => use(`e83_${n}`, "acc_8", "c83", ago(n))),
        // c91: stopped, but the only colleague last used it 15 days ago.
        ...[31, 40, 50, 60, 70, 80, 90, 100].map((n) => use(`e91_${n}`, "acc_9", "c91", ago(n))),
        use("e92", "acc_9", "u92", ago(15)),
      ],
    });
    await addFindings(db, [
      // Written by the sponsor, naming the champion: the champion departed, not the sponsor.
      {
        entity: "notes",
        record_id: "n71",
        account: "acc_7",
        contact: "c72",
        at: ago(20),
        kind: "departure",
        sentence: "Priya Shah is no longer with the company.",
        match: "no longer with the company",
      },
      // Naming nobody: the ticket's contact is the one leaving.
      {
        entity: "tickets",
        record_id: "t73",
        account: "acc_7",
        contact: "c73",
        at: ago(3),
        kind: "departure",
        sentence: "I am leaving at the end of the month.",
        match: "leaving",
      },
      {
        entity: "tickets",
        record_id: "t74",
        account: "acc_7",
        contact: "c72",
        at: T,
        kind: "departure",
        sentence: "I have left.",
        match: "have left",
      },
      {
        entity: "notes",
        record_id: "n75",
        account: "acc_7",
        contact: "c72",
        at: ago(121),
        kind: "departure",
        sentence: "Sue Sponsor has left.",
        match: "has left",
      },
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("marked inactive, role changed away, email bouncing, timeless flag — within 120 days, before T", async () => {
    const found = await detectSignals(db, { asOf: T, accounts: ["acc_6"], kinds: ["champion_departure"] });
    expect(found.map((s) => s.contact)).toEqual(["c61", "c63", "c65", "c67"]);
    expect(found.every((s) => s.severity === "high")).toBe(true);
    const [ina, rob, bo, nodate] = found;
    expect(ina?.evidence).toEqual([
      {
        entity: "contacts",
        id: "c61",
        date: dayBefore(92),
        text: `champion Ina Active marked inactive on ${dayBefore(92)}`,
      },
    ]);
    expect(ina?.summary).toBe("champion Ina Active may have left: marked inactive");
    expect(rob?.evidence[0]?.text).toBe(`Rob Moved's role changed from champion to user on ${dayBefore(31)}`);
    expect(bo?.evidence[0]?.text).toBe(`mail to champion Bo Bounce bounced on ${dayBefore(1)}`);
    expect(nodate?.evidence[0]?.text).toBe(
      "champion No Date marked inactive (the contact's current flag, not as of the date)",
    );
  });

  it("'no longer with the company' names them, or comes from them when it names nobody", async () => {
    const found = await detectSignals(db, { asOf: T, accounts: ["acc_7"], kinds: ["champion_departure"] });
    expect(found.map((s) => s.contact)).toEqual(["c71", "c73"]);
    expect(found[0]?.evidence).toEqual([
      {
        entity: "notes",
        id: "n71",
        date: dayBefore(20),
        text: "Priya Shah is no longer with the company.",
        match: [14, 40],
      },
    ]);
    expect(found[1]?.summary).toBe("champion Lee Leaving may have left: said to have left");
  });

  it("product use stopping while colleagues' continues (8 days, 30 quiet, 14 for colleagues)", async () => {
    const found = await detectSignals(db, {
      asOf: T,
      accounts: ["acc_8", "acc_9"],
      kinds: ["champion_departure"],
    });
    expect(found.map((s) => s.contact)).toEqual(["c81"]);
    expect(found[0]?.evidence).toEqual([
      {
        entity: "contacts",
        id: "c81",
        date: dayBefore(31),
        text: `champion Use Stopped used the product on 8 days in the 90 days before the last 30, last on ${dayBefore(31)}, then not at all; 1 colleague used it in the last 14 days`,
      },
    ]);
  });
});
