/**
 * A small company for the metric tests, as of T = 2025-06-01T00:00Z, with the
 * expected values worked out by hand in test/metrics.test.ts.
 *
 * - acc_a: a busy customer with facts on both sides of every window edge.
 * - acc_b: a customer with no usage, tickets, invoices or meetings (implied
 *   zeros), an inactive executive sponsor, a champion who never used the
 *   product, and a churn notice in a note.
 * - acc_c: no facts at all (everything missing).
 * - acc_d: a former customer (subscription ended) still sending a little: usage
 *   only in the earlier trend period, an open cancellation ticket, a lost renewal.
 */
import { ENTITIES, type EntityName, importRecords, jsonRecords } from "../src/ingest/index.js";
import type { Db } from "../src/store/index.js";

export const T = "2025-06-01T00:00:00.000Z";

type Records = Partial<Record<EntityName, Record<string, unknown>[]>>;

const ev = (id: string, account: string, user: string | null, ts: string, name: string, value: number) => ({
  id,
  account,
  ...(user === null ? {} : { user }),
  ts,
  name,
  value,
});

export const FIXTURE: Records = {
  accounts: [
    { id: "acc_a", name: "Alpha", seats: 10 },
    { id: "acc_b", name: "Beta", seats: 5 },
    { id: "acc_c", name: "Gamma" },
    { id: "acc_d", name: "Delta", seats: 0 },
  ],
  contacts: [
    { id: "c_a1", account: "acc_a", name: "Ann Champion", role: "champion" },
    { id: "c_a2", account: "acc_a", name: "Sam Sponsor", role: "executive_sponsor" },
    { id: "c_a3", account: "acc_a", name: "Dee Decider", role: "decision_maker" },
    { id: "c_a4", account: "acc_a", name: "Uma User", role: "user" },
    { id: "c_a5", account: "acc_a", name: "Chad Champion", role: "champion", email: "chad@alpha.example" },
    { id: "c_b1", account: "acc_b", name: "Bob Boss", role: "executive_sponsor", active: false },
    { id: "c_b2", account: "acc_b", name: "Cleo Champion", role: "champion" },
    { id: "c_d1", account: "acc_d", name: "Dora Decider", role: "decision_maker" },
  ],
  subscriptions: [
    {
      id: "s_a1",
      account: "acc_a",
      seats: 8,
      discount_pct: 10,
      started_at: "2024-01-01T00:00:00Z",
      ended_at: "2025-01-01T00:00:00Z",
    },
    {
      id: "s_a2",
      account: "acc_a",
      seats: 12,
      discount_pct: 20,
      started_at: "2025-01-01T00:00:00Z",
      term_months: 12,
    },
    { id: "s_b1", account: "acc_b", seats: 5, started_at: "2024-06-01T00:00:00Z", term_months: 1 },
    {
      id: "s_d1",
      account: "acc_d",
      seats: 3,
      discount_pct: 5,
      started_at: "2023-01-01T00:00:00Z",
      ended_at: "2024-06-01T00:00:00Z",
    },
  ],
  events: [
    ev("e_a1", "acc_a", "c_a1", "2025-05-02T00:00:00Z", "dashboards.view", 2),
    ev("e_a3", "acc_a", "c_a1", "2025-05-20T09:00:00Z", "dashboards.view", 1),
    ev("e_a4", "acc_a", "usr_x", "2025-05-31T23:59:59Z", "records.update", 3),
    ev("e_a5", "acc_a", null, "2025-05-10T12:00:00Z", "api.call", 2),
    ev("e_a6", "acc_a", "usr_y", "2025-05-01T23:59:59Z", "dashboards.view", 4),
    ev("e_a7", "acc_a", "c_a1", "2025-04-01T08:00:00Z", "workflows.run", 6),
    ev("e_a8", "acc_a", "usr_z", "2025-03-02T23:59:59Z", "workflows.run", 50),
    ev("e_a9", "acc_a", "usr_t", "2025-06-01T00:00:00Z", "workflows.run", 100),
    ev("e_a10", "acc_a", "Chad@Alpha.Example", "2025-05-27T15:00:00Z", "dashboards.view", 1),
    ev("e_d1", "acc_d", "usr_d", "2025-03-15T10:00:00Z", "exports.csv", 4),
  ],
  tickets: [
    {
      id: "t_a1",
      account: "acc_a",
      contact: "c_a4",
      opened_at: "2025-03-03T00:00:00Z",
      first_response_at: "2025-03-03T02:00:00Z",
      resolved_at: "2025-03-03T10:00:00Z",
      priority: "urgent",
      status: "closed",
      csat: 4,
    },
    {
      id: "t_a2",
      account: "acc_a",
      opened_at: "2025-03-02T23:59:59Z",
      first_response_at: "2025-03-03T01:00:00Z",
      resolved_at: "2025-03-05T00:00:00Z",
      status: "closed",
      csat: 2,
    },
    {
      id: "t_a3",
      account: "acc_a",
      contact: "c_a1",
      opened_at: "2025-05-30T08:00:00Z",
      first_response_at: "2025-05-30T12:00:00Z",
      resolved_at: "2025-06-02T00:00:00Z",
      priority: "urgent",
      status: "closed",
      tags: ["escalation", "bug"],
      csat: 1,
    },
    {
      id: "t_a4",
      account: "acc_a",
      opened_at: "2025-05-31T20:00:00Z",
      first_response_at: "2025-06-01T01:00:00Z",
      status: "open",
    },
    { id: "t_a5", account: "acc_a", opened_at: "2025-01-10T00:00:00Z", priority: "urgent", status: "solved" },
    {
      id: "t_a6",
      account: "acc_a",
      opened_at: "2024-10-01T00:00:00Z",
      priority: "urgent",
      status: "pending",
    },
    {
      id: "t_d1",
      account: "acc_d",
      opened_at: "2025-05-15T09:00:00Z",
      status: "open",
      tags: ["cancellation_request"],
      subject: "Notice of non-renewal",
      body: "Please treat this as formal notice that we will not renew our subscription.",
    },
  ],
  invoices: [
    inv("i_a1", "2025-01-01T00:00:00Z", "2025-01-11T00:00:00Z", "paid"),
    inv("i_a2", "2025-02-01T00:00:00Z", "2025-01-30T00:00:00Z", "paid"),
    inv("i_a3", "2025-05-22T00:00:00Z", null, "open"),
    inv("i_a4", "2025-05-01T00:00:00Z", "2025-06-05T00:00:00Z", "paid"),
    inv("i_a5", "2025-04-01T00:00:00Z", null, "failed"),
    inv("i_a6", "2025-03-01T00:00:00Z", null, "void"),
    inv("i_a7", "2024-12-02T00:00:00Z", "2025-01-15T00:00:00Z", "paid"),
    { ...inv("i_a8", "2025-07-01T00:00:00Z", null, "failed"), issued_at: T },
  ],
  meetings: [
    meeting("m_a1", "qbr", "2025-01-15T15:00:00Z", "held", ["c_a1", "c_a2"]),
    meeting("m_a2", "check_in", "2025-04-10T15:00:00Z", "held", ["c_a1"]),
    meeting("m_a3", "ebr", "2025-05-01T15:00:00Z", "cancelled", ["c_a2"]),
    meeting("m_a4", "check_in", "2025-05-20T10:00:00Z", "held", ["c_a3", "c_a4"]),
    meeting("m_a5", "qbr", "2024-11-30T15:00:00Z", "held", ["c_a2"]),
    meeting("m_a6", "qbr", T, "held", ["c_a2"]),
  ],
  surveys: [
    survey("v_a1", "acc_a", "c_a1", "2024-11-01T00:00:00Z", "nps", 9),
    survey("v_a2", "acc_a", "c_a1", "2025-04-01T00:00:00Z", "nps", 7),
    survey("v_a3", "acc_a", "c_a2", "2025-03-10T00:00:00Z", "nps", 3),
    survey("v_a4", "acc_a", null, "2025-02-01T00:00:00Z", "nps", 10),
    survey("v_a5", "acc_a", "c_a1", T, "nps", 0),
    survey("v_a6", "acc_a", "c_a3", "2024-05-31T23:59:59Z", "nps", 0),
    survey("v_a7", "acc_a", null, "2025-02-01T00:00:00Z", "csat", 5),
    survey("v_a8", "acc_a", null, "2024-12-02T23:59:59Z", "csat", 1),
    survey("v_d1", "acc_d", "c_d1", "2025-02-01T00:00:00Z", "nps", 2),
  ],
  notes: [
    note("n_a1", "acc_a", "c_a2", "2025-05-25T12:00:00Z", "inbound", "Thanks, the plan looks good."),
    note("n_a2", "acc_a", "c_a3", "2025-05-30T12:00:00Z", "outbound", "Following up on our call."),
    note(
      "n_b1",
      "acc_b",
      null,
      "2025-05-10T09:00:00Z",
      "inbound",
      "We have decided to cancel our subscription at the end of the term.",
    ),
    note(
      "n_d2",
      "acc_d",
      "c_d1",
      "2025-05-11T09:00:00Z",
      "inbound",
      "Leadership is questioning whether to renew.",
    ),
    note(
      "n_d3",
      "acc_d",
      "c_d1",
      "2025-05-12T09:00:00Z",
      "outbound",
      "Please tell us if you will not renew.",
    ),
  ],
  opportunities: [
    opp("o_a1", "acc_a", "expansion", "2025-02-01", "won"),
    opp("o_a2", "acc_a", "expansion", "2025-05-31", "open"),
    opp("o_a3", "acc_a", "expansion", "2025-03-01", "lost"),
    opp("o_a4", "acc_a", "expansion", "2024-12-02", "won"),
    opp("o_a5", "acc_a", "expansion", "2025-06-01", "open"),
    opp("o_d1", "acc_d", "renewal", "2025-05-01", "lost"),
  ],
  metrics: [
    { account: "acc_a", date: "2025-05-01", name: "product_qualified_seats", value: 5 },
    { account: "acc_a", date: "2025-05-31", name: "product_qualified_seats", value: 7 },
    { account: "acc_a", date: "2025-06-01", name: "product_qualified_seats", value: 99 },
    { account: "acc_a", date: "2025-05-31", name: "active_users_30d", value: 50 },
    { account: "acc_b", date: "2025-05-15", name: "active_users_30d", value: 4 },
    { account: "acc_b", date: "2025-06-01", name: "active_users_30d", value: 40 },
    { account: "acc_c", date: "2025-06-01", name: "nps_latest", value: 8 },
  ],
};

/**
 * A second batch of acc_a events, imported separately so the day of e_a1 gets a
 * second partial roll-up row for the same (day, account, user).
 */
export const LATE_EVENTS = [ev("e_a2", "acc_a", "c_a1", "2025-05-02T10:00:00Z", "reports.run", 1)];

/** Ticket sentiment is scored from text at ingest; the tests pin it to known values. */
export const SENTIMENT: Record<string, number | null> = {
  t_a1: 0.5,
  t_a2: -1,
  t_a3: -0.25,
  t_a4: 0.25,
  t_d1: -0.5,
};

function inv(id: string, due: string, paid: string | null, status: string) {
  return {
    id,
    account: "acc_a",
    issued_at: new Date(Date.parse(due) - 30 * 86_400_000).toISOString(),
    due_at: due,
    ...(paid === null ? {} : { paid_at: paid }),
    amount: 100,
    currency: "USD",
    status,
  };
}

function meeting(id: string, kind: string, at: string, status: string, attendees: string[]) {
  return { id, account: "acc_a", kind, scheduled_at: at, status, attendees };
}

function survey(
  id: string,
  account: string,
  contact: string | null,
  ts: string,
  kind: string,
  score: number,
) {
  return { id, account, ...(contact === null ? {} : { contact }), ts, kind, score };
}

function note(
  id: string,
  account: string,
  contact: string | null,
  ts: string,
  direction: string,
  text: string,
) {
  return { id, account, ...(contact === null ? {} : { contact }), ts, channel: "email", direction, text };
}

function opp(id: string, account: string, kind: string, close: string, status: string) {
  return { id, account, kind, close_date: close, status, amount: 1000 };
}

/** Imports records entity by entity, in the order of ENTITIES (accounts first). */
export async function importAll(db: Db, records: Records): Promise<void> {
  for (const name of Object.keys(ENTITIES) as EntityName[]) {
    const list = records[name];
    if (list?.length) await importRecords(db, ENTITIES[name], jsonRecords(list));
  }
}

export async function loadFixture(db: Db): Promise<void> {
  await importAll(db, FIXTURE);
  await importAll(db, { events: LATE_EVENTS });
  await pinSentiment(db);
}

/** Sets the fixture tickets' sentiment to SENTIMENT (a re-import scores it from the text again). */
export async function pinSentiment(db: Db): Promise<void> {
  for (const [id, s] of Object.entries(SENTIMENT)) {
    await db.query("UPDATE tickets SET sentiment = $2 WHERE id = $1", [id, s]);
  }
}
