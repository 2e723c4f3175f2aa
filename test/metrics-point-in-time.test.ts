/**
 * Point in time, property style: whatever facts dated at or after T arrive
 * (new events, tickets, invoices, meetings, surveys, notes, deals, metrics
 * rows, subscriptions, and updates that resolve or pay things after T), the
 * metrics and signals as of T stay exactly the same.
 *
 * Contacts and accounts carry no dates, so they are not part of this property
 * (executive_sponsor_inactive reads the current contact flag by design).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CORE_FEATURES } from "../src/domain/index.js";
import { computeMetrics, computeSignals } from "../src/metrics/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { FIXTURE, importAll, LATE_EVENTS, loadFixture, pinSentiment, T } from "./metrics-fixture.js";

type Rec = Record<string, unknown>;

/** A small seeded generator (mulberry32). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <X>(xs: readonly X[]): X => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

const ACCOUNTS = ["acc_a", "acc_b", "acc_c", "acc_d"];
const CONTACTS: Record<string, string[]> = {
  acc_a: ["c_a1", "c_a2", "c_a3", "c_a4", "c_a5"],
  acc_b: ["c_b1", "c_b2"],
  acc_c: [],
  acc_d: ["c_d1"],
};
const FEATURES = [...DEFAULT_CORE_FEATURES, "exports.csv", "api.call"];
const NOTICE = "We will not renew our subscription; we're moving to Acme.";

/** Facts dated at or after `asOf` (a third of them exactly at it), and updates that only add post-T history. */
function futureFacts(asOf: string, seed: number): Partial<Record<string, Rec[]>> {
  const r = rng(seed);
  const t0 = Date.parse(asOf);
  const at = () => new Date(r.next() < 0.33 ? t0 : t0 + r.int(0, 200 * 86_400) * 1000).toISOString();
  const day = () => at().slice(0, 10);
  const who = (account: string) => {
    const cs = CONTACTS[account]!;
    return cs.length && r.next() < 0.8 ? r.pick(cs) : undefined;
  };
  const n = 25;
  const out: Record<string, Rec[]> = {};
  const add = (entity: string, make: (i: number, account: string) => Rec) => {
    out[entity] = Array.from({ length: n }, (_, i) => make(i, r.pick(ACCOUNTS)));
  };
  add("subscriptions", (i, account) => ({
    id: `fs_${seed}_${i}`,
    account,
    seats: r.int(1, 500),
    discount_pct: r.int(0, 60),
    started_at: at(),
    term_months: r.pick([1, 3, 12, 24]),
  }));
  add("events", (i, account) => ({
    id: `fe_${seed}_${i}`,
    account,
    ...(r.next() < 0.2 ? {} : { user: who(account) ?? `usr_f${r.int(1, 5)}` }),
    ts: at(),
    name: r.pick(FEATURES),
    value: r.int(1, 1000),
  }));
  add("tickets", (i, account) => {
    const opened = at();
    const contact = who(account);
    return {
      id: `ft_${seed}_${i}`,
      account,
      ...(contact ? { contact } : {}),
      opened_at: opened,
      first_response_at: opened,
      ...(r.next() < 0.5 ? { resolved_at: opened, csat: r.int(1, 5) } : {}),
      priority: r.pick(["urgent", "high", "normal"]),
      status: r.pick(["open", "pending", "closed"]),
      tags: [r.pick(["cancellation_request", "escalation", "bug"])],
      subject: "Cancellation request",
      body: NOTICE,
    };
  });
  add("invoices", (i, account) => {
    const issued = at();
    return {
      id: `fi_${seed}_${i}`,
      account,
      issued_at: issued,
      due_at: issued,
      amount: 10,
      currency: "USD",
      status: r.pick(["failed", "open", "paid"]),
    };
  });
  add("meetings", (i, account) => ({
    id: `fm_${seed}_${i}`,
    account,
    kind: r.pick(["qbr", "ebr", "check_in"]),
    scheduled_at: at(),
    status: "held",
    attendees: CONTACTS[account]!,
  }));
  add("surveys", (i, account) => {
    const kind = r.pick(["nps", "csat"]);
    const contact = who(account);
    return {
      id: `fv_${seed}_${i}`,
      account,
      ...(contact ? { contact } : {}),
      ts: at(),
      kind,
      score: kind === "nps" ? r.int(0, 3) : r.int(1, 5),
    };
  });
  add("notes", (i, account) => {
    const contact = who(account);
    return {
      id: `fn_${seed}_${i}`,
      account,
      ...(contact ? { contact } : {}),
      ts: at(),
      channel: "email",
      direction: "inbound",
      text: NOTICE,
    };
  });
  add("opportunities", (i, account) => ({
    id: `fo_${seed}_${i}`,
    account,
    kind: r.pick(["expansion", "renewal"]),
    close_date: day(),
    status: r.pick(["won", "open", "lost"]),
  }));
  const rows = new Map<string, Rec>();
  for (let i = 0; i < n; i++) {
    const account = r.pick(ACCOUNTS);
    const date = day();
    const name = r.pick(["active_users_30d", "nps_latest", "product_qualified_seats", "warehouse_score"]);
    rows.set(`${account}|${date}|${name}`, { account, date, name, value: r.int(0, 1000) });
  }
  out.metrics = [...rows.values()];

  // Updates of existing records that only add history after T: tickets open at
  // T get resolved (and rated) after it; invoices unpaid at T get paid after it.
  const after = () => new Date(t0 + r.int(0, 30 * 86_400) * 1000).toISOString();
  const openAtT = (tk: Rec) =>
    Date.parse(tk.opened_at as string) < t0 &&
    (tk.resolved_at === undefined
      ? ["open", "pending"].includes(tk.status as string)
      : Date.parse(tk.resolved_at as string) >= t0);
  const updated = (FIXTURE.tickets ?? []).filter(openAtT).map((tk) => ({
    ...tk,
    resolved_at: after(),
    status: "closed",
    csat: 1,
    ...(tk.first_response_at === undefined || Date.parse(tk.first_response_at as string) >= t0
      ? { first_response_at: after() }
      : {}),
  }));
  out.tickets = [...(out.tickets ?? []), ...updated];
  const paid = (FIXTURE.invoices ?? [])
    .filter(
      (iv) =>
        iv.status === "open" &&
        Date.parse(iv.issued_at as string) < t0 &&
        (iv.paid_at === undefined || Date.parse(iv.paid_at as string) >= t0),
    )
    .map((iv) => ({ ...iv, paid_at: after(), status: "paid" }));
  out.invoices = [...(out.invoices ?? []), ...paid];
  return out;
}

async function snapshot(db: Db, asOf: string) {
  const ctx = { asOf, coreFeatures: DEFAULT_CORE_FEATURES };
  return {
    metrics: Object.fromEntries(await computeMetrics(db, ctx)),
    signals: Object.fromEntries(await computeSignals(db, ctx)),
  };
}

describe(`metrics point in time (${storeName})`, () => {
  const CASES: [string, number][] = [
    [T, 1],
    ["2025-03-03T00:00:00.000Z", 2],
    ["2025-05-20T10:00:00.000Z", 3],
    ["2025-05-02T13:37:00.000Z", 4],
  ];
  for (const [asOf, seed] of CASES) {
    it(`facts dated at or after ${asOf} change nothing as of it (seed ${seed})`, async () => {
      const db = await testDb();
      try {
        await loadFixture(db);
        const before = await snapshot(db, asOf);
        expect(Object.keys(before.metrics)).toHaveLength(4);
        await importAll(db, futureFacts(asOf, seed));
        await importAll(db, { events: LATE_EVENTS.map((e) => ({ ...e, id: `${e.id}_again`, ts: asOf })) });
        await pinSentiment(db); // re-sent tickets were scored from their text again
        const after = await snapshot(db, asOf);
        expect(after).toEqual(before);
        // The facts did arrive: a year later they show.
        const later = await snapshot(db, new Date(Date.parse(asOf) + 365 * 86_400_000).toISOString());
        expect(later).not.toEqual(before);
      } finally {
        await db.close();
      }
    });
  }
});
