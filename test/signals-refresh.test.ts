/**
 * refreshSignals: the signals table's life (new, still present, cleared,
 * back again) and one signal.detected event per newly active signal, in the
 * same transaction; re-running changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshSignals } from "../src/signals/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { accounts, addFindings, ago, hence, load, T } from "./signals-fixture.js";

const NW = "Northwind Analytics";
type SignalRow = {
  id: string;
  key: string;
  account: string;
  kind: string;
  severity: string;
  first_seen: string;
  last_seen: string;
  occurrences: number;
  active: boolean;
  cleared_at: string | null;
  detected_at: string;
  summary: string;
  evidence: unknown;
};

describe(`refreshSignals (${storeName})`, () => {
  let db: Db;
  const rows = () => db.query<SignalRow>("SELECT * FROM signals ORDER BY key");
  const events = () =>
    db.query<{ account: string; subject: string; at: string; detail: Record<string, unknown> }>(
      "SELECT account, subject, at, detail FROM notify_events WHERE type = 'signal.detected' ORDER BY id",
    );
  beforeAll(async () => {
    db = await testDb();
    await load(db, {
      accounts: accounts(["acc_1", "acc_2"]),
      tickets: [
        {
          id: "tk2",
          account: "acc_2",
          opened_at: ago(20),
          status: "open",
          tags: ["cancellation_request"],
          subject: "Cancel",
        },
      ],
    });
    await addFindings(db, [
      {
        entity: "tickets",
        record_id: "t1",
        account: "acc_1",
        at: ago(12),
        kind: "competitor_mention",
        competitor: NW,
        sentence: "We might move to Northwind.",
        match: "Northwind",
      },
      {
        entity: "notes",
        record_id: "n1",
        account: "acc_1",
        at: ago(30),
        kind: "competitor_mention",
        competitor: NW,
        sentence: "Northwind called them.",
        match: "Northwind",
      },
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("writes each detected signal and announces it once", async () => {
    const result = await refreshSignals(db, { now: new Date(T) });
    expect(result).toEqual({ detected: 2, opened: 2, cleared: 0 });
    const list = await rows();
    expect(list.map((r) => r.key)).toEqual([
      `competitor_mention|acc_1|${NW}`,
      "critical_dissatisfaction|acc_2|",
    ]);
    const nw = list[0]!;
    expect(nw).toMatchObject({
      account: "acc_1",
      kind: "competitor_mention",
      severity: "medium",
      first_seen: T,
      last_seen: T,
      detected_at: T,
      occurrences: 2,
      active: true,
      cleared_at: null,
      summary: `${NW} named in 1 ticket and 1 note`,
    });
    expect((nw.evidence as { id: string }[]).map((e) => e.id)).toEqual(["t1", "n1"]);
    // When its evidence dates from: what "two signals within 30 days" reads.
    const [span] = await db.query<{ first: string; last: string }>(
      "SELECT first_evidence_at AS first, last_evidence_at AS last FROM signals WHERE id = $1",
      [nw.id],
    );
    expect(span?.first && span.last && new Date(span.first) <= new Date(span.last)).toBe(true);
    expect(new Date(span!.last).getTime()).toBeLessThan(new Date(T).getTime());
    expect(await events()).toEqual([
      {
        account: "acc_1",
        subject: nw.id,
        at: T,
        detail: {
          severity: "medium",
          kind: "competitor_mention",
          label: "competitor mentioned",
          reason: nw.summary,
        },
      },
      {
        account: "acc_2",
        subject: list[1]!.id,
        at: T,
        detail: {
          severity: "critical",
          kind: "critical_dissatisfaction",
          label: "critical dissatisfaction",
          reason: "open cancellation or escalation ticket",
        },
      },
    ]);
  });

  it("run again, changes nothing; later, only last_seen moves", async () => {
    const before1 = await rows();
    expect(await refreshSignals(db, { now: new Date(T) })).toEqual({ detected: 2, opened: 0, cleared: 0 });
    expect(await rows()).toEqual(before1);
    expect(await refreshSignals(db, { now: new Date(hence(1)) })).toEqual({
      detected: 2,
      opened: 0,
      cleared: 0,
    });
    const later = await rows();
    expect(later.map((r) => [r.id, r.first_seen, r.last_seen, r.detected_at, r.active])).toEqual(
      before1.map((r) => [r.id, T, hence(1), T, true]),
    );
    expect(await events()).toHaveLength(2);
  });

  it("a signal no longer detected is cleared; one seen again is active again, first seen kept, announced", async () => {
    // 100 days on, the mentions are outside the 90 days; the ticket is still open.
    const r1 = await refreshSignals(db, { now: new Date(hence(100)) });
    expect(r1).toEqual({ detected: 1, opened: 0, cleared: 1 });
    const [nw, crit] = await rows();
    expect(nw).toMatchObject({ active: false, cleared_at: hence(100), last_seen: hence(1), occurrences: 2 });
    expect(crit).toMatchObject({ active: true, cleared_at: null, last_seen: hence(100) });
    // Back at T (the mentions in the window again): active again.
    const r2 = await refreshSignals(db, { now: new Date(hence(2)), accounts: ["acc_1"] });
    expect(r2).toEqual({ detected: 1, opened: 1, cleared: 0 });
    const [back] = await rows();
    expect(back).toMatchObject({
      id: nw!.id,
      active: true,
      cleared_at: null,
      first_seen: T,
      last_seen: hence(2),
      detected_at: hence(2),
      occurrences: 4,
    });
    const ev = await events();
    expect(ev).toHaveLength(3);
    expect(ev[2]).toMatchObject({ account: "acc_1", subject: nw!.id, at: hence(2) });
    // A refresh of the other account only does not clear this one (it would be outside the window by then).
    expect(await refreshSignals(db, { now: new Date(hence(200)), accounts: ["acc_2"] })).toEqual({
      detected: 1,
      opened: 0,
      cleared: 0,
    });
    expect((await rows())[0]).toMatchObject({ active: true, last_seen: hence(2) });
  });

  it("rolls back the whole refresh when a write fails", async () => {
    const before1 = await rows();
    await db.exec(
      `CREATE FUNCTION refuse_signal() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER refuse_signal BEFORE INSERT ON notify_events FOR EACH ROW EXECUTE FUNCTION refuse_signal();`,
    );
    await db.query("UPDATE signals SET active = false, cleared_at = $1", [hence(3)]);
    const cleared = await rows();
    await expect(refreshSignals(db, { now: new Date(hence(4)) })).rejects.toThrow(/refused/);
    expect(await rows()).toEqual(cleared);
    expect(cleared).not.toEqual(before1);
    await db.exec("DROP TRIGGER refuse_signal ON notify_events; DROP FUNCTION refuse_signal();");
  });
});
