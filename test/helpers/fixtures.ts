import type { EntityName } from "../../src/ingest/index.js";

/** One or two valid records of every entity, referring to accounts acc_1 and acc_2. */
export const SAMPLE: Record<EntityName, Record<string, unknown>[]> = {
  accounts: [
    {
      id: "acc_1",
      name: "Acme Analytics",
      domain: "acme.example",
      segment: "mid_market",
      owner: "Dana Reyes",
      plan: "growth",
      seats: 40,
      arr: 48000.5,
      currency: "USD",
      renewal_date: "2026-03-31",
      status: "active",
    },
    {
      id: "acc_2",
      name: "Borealis, Inc.",
      segment: "enterprise",
      owner: "Sam Okafor",
      seats: 400,
      arr: 350000,
      currency: "EUR",
      renewal_date: "2026-09-30",
      status: "churned",
      churned_at: "2025-10-01T00:00:00.000Z",
      churn_reason: "budget cut",
    },
  ],
  contacts: [
    {
      id: "c_1",
      account: "acc_1",
      email: "ceo@acme.example",
      name: "Ada Byron",
      title: "CEO",
      role: "executive_sponsor",
      active: true,
    },
    {
      id: "c_2",
      account: "acc_1",
      email: "ops@acme.example",
      name: "Lin Wu",
      role: "champion",
      active: false,
    },
  ],
  subscriptions: [
    {
      id: "s_1",
      account: "acc_1",
      plan: "growth",
      seats: 40,
      mrr: 4000,
      currency: "USD",
      discount_pct: 10,
      started_at: "2024-04-01T00:00:00.000Z",
    },
  ],
  events: [
    {
      id: "e_1",
      account: "acc_1",
      user: "c_2",
      ts: "2025-06-02T10:00:00.000Z",
      name: "dashboards.view",
      value: 3,
      source: "product",
      properties: { plan: "growth", nested: { a: 1 } },
    },
    { id: "e_2", account: "acc_1", user: "u_9", ts: "2025-06-03T11:30:00.000Z", name: "reports.create" },
  ],
  tickets: [
    {
      id: "t_1",
      account: "acc_1",
      contact: "c_2",
      opened_at: "2025-06-01T09:00:00.000Z",
      first_response_at: "2025-06-01T10:30:00.000Z",
      resolved_at: "2025-06-02T09:00:00.000Z",
      priority: "high",
      status: "solved",
      subject: "Export fails",
      body: "The CSV export\tfails with a 500;\nplease help",
      csat: 4,
      tags: ["bug", "export"],
    },
  ],
  invoices: [
    {
      id: "i_1",
      account: "acc_1",
      issued_at: "2025-05-01T00:00:00.000Z",
      due_at: "2025-05-31T00:00:00.000Z",
      paid_at: "2025-06-10T00:00:00.000Z",
      amount: 12000.25,
      currency: "USD",
      status: "paid",
      discount_pct: 10,
    },
  ],
  meetings: [
    {
      id: "m_1",
      account: "acc_1",
      kind: "qbr",
      scheduled_at: "2025-04-15T15:00:00.000Z",
      status: "held",
      attendees: ["c_1", "c_2"],
    },
  ],
  surveys: [
    {
      id: "sv_1",
      account: "acc_1",
      contact: "c_1",
      ts: "2025-05-20T00:00:00.000Z",
      kind: "nps",
      score: 9,
      comment: 'Great, "really" great',
    },
  ],
  notes: [
    {
      id: "n_1",
      account: "acc_1",
      contact: "c_1",
      ts: "2025-05-21T00:00:00.000Z",
      channel: "email",
      direction: "outbound",
      text: "Follow-up on the QBR",
    },
  ],
  opportunities: [
    {
      id: "o_1",
      account: "acc_1",
      kind: "renewal",
      stage: "negotiation",
      amount: 48000,
      currency: "USD",
      discount_requested_pct: 15,
      close_date: "2026-03-31",
      status: "open",
    },
  ],
  metrics: [
    { account: "acc_1", date: "2025-06-01", name: "warehouse_active_users", value: 31 },
    { account: "acc_1", date: "2025-06-02", name: "warehouse_active_users", value: 29.5 },
  ],
};

/** The optional fields a record did not send come back as null (and defaults as their default). */
export const DEFAULTS: Partial<Record<EntityName, Record<string, unknown>>> = {
  events: { user: null, value: 1, source: "product", properties: {} },
};
