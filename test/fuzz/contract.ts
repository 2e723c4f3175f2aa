/**
 * The ingest contract the fuzz suite enforces, written down on its own (not
 * read from src/), so a drift in the product shows as a failure: every
 * entity's fields, their kinds, limits and whether they are required.
 */
import type { EntityName } from "../../src/ingest/index.js";

export type FieldKind =
  | { kind: "id" }
  | { kind: "text"; max: number }
  | { kind: "enum"; values: readonly string[] }
  | { kind: "int"; min?: number; max?: number }
  | { kind: "num"; min?: number; max?: number }
  | { kind: "bool" }
  | { kind: "currency" }
  | { kind: "ts" }
  | { kind: "date" }
  | { kind: "list" }
  | { kind: "object" };

export type FieldSpec = FieldKind & { required?: boolean };

const id = (required = true): FieldSpec => ({ kind: "id", required });
const text = (max = 100_000, required = false): FieldSpec => ({ kind: "text", max, required });
const oneOf = (values: readonly string[], required = false): FieldSpec => ({
  kind: "enum",
  values,
  required,
});
const int = (min?: number, max?: number, required = false): FieldSpec => ({
  kind: "int",
  min,
  max,
  required,
});
const num = (min?: number, max?: number, required = false): FieldSpec => ({
  kind: "num",
  min,
  max,
  required,
});
const ts = (required = false): FieldSpec => ({ kind: "ts", required });
const date = (required = false): FieldSpec => ({ kind: "date", required });
const currency = (required = false): FieldSpec => ({ kind: "currency", required });
const pct = (): FieldSpec => num(0, 100);
const list = (): FieldSpec => ({ kind: "list" });

export const MAX_ID = 200;
export const MAX_LIST_ITEM = 1000;
export const MAX_LIST_ITEMS = 1000;
export const MAX_DEPTH = 32;
export const MAX_OBJECT_BYTES = 64 * 1024;
export const INT_MAX = 2_147_483_647;

export const CONTRACT: Record<EntityName, Record<string, FieldSpec>> = {
  accounts: {
    id: id(),
    name: text(500, true),
    domain: text(500),
    segment: text(100),
    owner: text(200),
    plan: text(200),
    seats: int(0),
    arr: num(0),
    currency: currency(),
    renewal_date: date(),
    status: oneOf(["active", "churned"]),
    churned_at: ts(),
    churn_reason: text(),
  },
  contacts: {
    id: id(),
    account: id(),
    email: text(500),
    name: text(500),
    title: text(500),
    role: oneOf(["executive_sponsor", "champion", "decision_maker", "user", "billing"]),
    active: { kind: "bool" },
  },
  subscriptions: {
    id: id(),
    account: id(),
    plan: text(200),
    seats: int(0),
    mrr: num(0),
    currency: currency(),
    discount_pct: pct(),
    started_at: ts(true),
    ended_at: ts(),
    term_months: int(1, 120),
  },
  events: {
    id: id(),
    account: id(),
    user: text(200),
    ts: ts(true),
    name: text(200, true),
    value: num(),
    source: oneOf(["product", "marketing", "email"]),
    properties: { kind: "object" },
  },
  tickets: {
    id: id(),
    account: id(),
    contact: text(200),
    opened_at: ts(true),
    first_response_at: ts(),
    resolved_at: ts(),
    priority: oneOf(["low", "normal", "high", "urgent"]),
    status: oneOf(["open", "pending", "solved", "closed"], true),
    subject: text(),
    body: text(),
    csat: int(1, 5),
    tags: list(),
  },
  invoices: {
    id: id(),
    account: id(),
    issued_at: ts(true),
    due_at: ts(),
    paid_at: ts(),
    amount: num(undefined, undefined, true),
    currency: currency(true),
    status: oneOf(["paid", "open", "failed", "refunded", "void"], true),
    discount_pct: pct(),
  },
  meetings: {
    id: id(),
    account: id(),
    kind: oneOf(["qbr", "ebr", "check_in", "onboarding", "training", "escalation"], true),
    scheduled_at: ts(true),
    status: oneOf(["held", "cancelled", "no_show"], true),
    attendees: list(),
  },
  surveys: {
    id: id(),
    account: id(),
    contact: text(200),
    ts: ts(true),
    kind: oneOf(["nps", "csat"], true),
    score: int(0, 10, true),
    comment: text(),
  },
  notes: {
    id: id(),
    account: id(),
    contact: text(200),
    ts: ts(true),
    channel: oneOf(["email", "call", "chat", "meeting", "note"], true),
    direction: oneOf(["inbound", "outbound"]),
    text: text(),
  },
  opportunities: {
    id: id(),
    account: id(),
    kind: oneOf(["renewal", "expansion"], true),
    stage: text(200),
    amount: num(),
    currency: currency(),
    discount_requested_pct: pct(),
    close_date: date(),
    status: oneOf(["open", "won", "lost"], true),
  },
  metrics: {
    account: id(),
    date: date(true),
    name: text(200, true),
    value: num(undefined, undefined, true),
  },
};

/** The fields that identify a record, and how a duplicate is named (`account+name+date` for metrics). */
export function keyOf(entity: EntityName): { fields: string[]; field: string } {
  const fields = entity === "metrics" ? ["account", "name", "date"] : ["id"];
  return { fields, field: fields.join("+") };
}

/** The tables whose row counts must not change when bad input is rejected. */
export const COUNTED_TABLES = [
  "accounts",
  "contacts",
  "subscriptions",
  "events",
  "tickets",
  "invoices",
  "meetings",
  "surveys",
  "notes",
  "opportunities",
  "metrics",
  "usage_user_days",
  "usage_feature_days",
  "current_scores",
  "score_history",
] as const;
