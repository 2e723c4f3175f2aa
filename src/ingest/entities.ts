import { z } from "zod";
import type { Field } from "./fields.js";
import * as f from "./fields.js";
import { ticketSentiment } from "./ticket-sentiment.js";

/** A field of an entity: its kind, and whether a record must carry it. */
interface FieldSpec {
  field: Field;
  required?: boolean;
  default?: unknown;
  description?: string;
}

/** A stored column computed at ingest from the validated record (e.g. a ticket's sentiment). */
export interface DerivedColumn {
  readonly column: string;
  readonly sqlType: string;
  readonly compute: (record: Record<string, unknown>) => string | null;
}

export interface Entity {
  readonly name: EntityName;
  readonly table: string;
  readonly description: string;
  /** The API fields in order. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** The API fields that identify a record. */
  readonly key: readonly string[];
  /** `upsert`: a re-sent record replaces the stored one. `once`: the first write wins (events). */
  readonly mode: "upsert" | "once";
  /** The field that orders a listing (newest first). */
  readonly timeField?: string;
  /** Columns computed at ingest, stored after the fields' columns. */
  readonly derived?: readonly DerivedColumn[];
  /** Whether written records also add to the daily usage roll-ups (events). */
  readonly rollsUpUsage?: boolean;
  /** Whether records carry `account` (every entity but accounts itself). */
  readonly ofAccount: boolean;
  /** The zod schema of one record, built from `fields` (also the OpenAPI schema). */
  readonly schema: z.ZodType<Record<string, unknown>>;
}

export const ENTITY_NAMES = [
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
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/** Absent, null, or a string of nothing but spaces: what "is required" rejects. */
export function isBlank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

const req = (field: Field, description?: string): FieldSpec => ({ field, required: true, description });
const opt = (field: Field, description?: string): FieldSpec => ({ field, description });
const def = (field: Field, value: unknown, description?: string): FieldSpec => ({
  field,
  default: value,
  description,
});

const ACCOUNT = req(f.id(), "the account's id");
const CURRENCY = f.currency();
const PCT = f.amount({ min: 0, max: 100 });

function build(
  spec: Omit<Entity, "schema" | "ofAccount"> & {
    refine?: (r: Record<string, unknown>, ctx: z.RefinementCtx) => void;
  },
): Entity {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, s] of Object.entries(spec.fields)) {
    let t: z.ZodType = s.field.schema;
    // Blank is missing: "" or spaces in a required field fail as "is required", with or without other errors.
    if (s.required) t = t.refine((v) => !isBlank(v), "is required");
    if (s.description) t = t.describe(s.description);
    if (s.default !== undefined) t = t.nullish().transform((v) => v ?? s.default);
    else if (!s.required) t = t.nullish();
    shape[name] = t;
  }
  let schema: z.ZodType<Record<string, unknown>> = z.strictObject(shape, {
    error: (iss) => (iss.code === "unrecognized_keys" ? `unknown field` : "expected an object"),
  });
  if (spec.refine) schema = schema.superRefine(spec.refine);
  const { refine: _ignored, ...rest } = spec;
  // No prototype: a field named "constructor" or "__proto__" in the input is unknown, not Object's.
  const fields = Object.assign(Object.create(null) as Record<string, FieldSpec>, spec.fields);
  return { ...rest, fields, ofAccount: "account" in fields, schema };
}

const accounts = build({
  name: "accounts",
  table: "accounts",
  description: "A customer company.",
  key: ["id"],
  mode: "upsert",
  fields: {
    id: req(f.id()),
    name: req(f.text({ max: 500 })),
    domain: opt(f.text({ max: 500 })),
    segment: opt(f.text({ max: 100 }), "e.g. smb, mid_market, enterprise"),
    owner: opt(f.text({ max: 200 }), "the CSM who owns the account"),
    plan: opt(f.text({ max: 200 })),
    seats: opt(f.integer({ min: 0 })),
    arr: opt(f.amount({ min: 0 }), "annual recurring revenue, in `currency`"),
    currency: opt(CURRENCY),
    renewal_date: opt(f.date()),
    status: def(f.oneOf(["active", "churned"]), "active"),
    churned_at: opt(f.timestamp()),
    churn_reason: opt(f.text()),
  },
});

const contacts = build({
  name: "contacts",
  table: "contacts",
  description: "A person at an account.",
  key: ["id"],
  mode: "upsert",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    email: opt(f.text({ max: 500 })),
    name: opt(f.text({ max: 500 })),
    title: opt(f.text({ max: 500 })),
    role: opt(f.oneOf(["executive_sponsor", "champion", "decision_maker", "user", "billing"])),
    active: def(f.bool(), true),
    inactive_since: opt(f.date(), "when the person left or was marked inactive"),
    previous_role: opt(
      f.oneOf(["executive_sponsor", "champion", "decision_maker", "user", "billing"]),
      "the role they held before `role` (a champion who moved to another job keeps `previous_role: champion`)",
    ),
    role_changed_at: opt(f.date(), "when `role` replaced `previous_role`"),
    email_bounced_at: opt(f.timestamp(), "when mail to them last bounced"),
    user_id: opt(
      f.text({ max: 200 }),
      "their user id in product events (events.user_id), when it is not their email",
    ),
  },
});

const subscriptions = build({
  name: "subscriptions",
  table: "subscriptions",
  description: "What an account pays for, over time.",
  key: ["id"],
  mode: "upsert",
  timeField: "started_at",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    plan: opt(f.text({ max: 200 })),
    seats: opt(f.integer({ min: 0 })),
    mrr: opt(f.amount({ min: 0 })),
    currency: opt(CURRENCY),
    discount_pct: opt(PCT),
    started_at: req(f.timestamp()),
    ended_at: opt(f.timestamp()),
    term_months: opt(
      f.integer({ min: 1, max: 120 }),
      "contract term in months (1 monthly, 12 annual): renewals fall every term after the account's first subscription start",
    ),
  },
});

const events = build({
  name: "events",
  table: "events",
  description: "Product usage and engagement. Idempotent by id: a re-sent event is ignored.",
  key: ["id"],
  mode: "once",
  timeField: "ts",
  rollsUpUsage: true,
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    user: opt(f.text({ max: 200, column: "user_id" }), "a contact id or the product's own user id"),
    ts: req(f.timestamp()),
    name: req(f.text({ max: 200 })),
    value: def(f.number(), 1, "a count or amount"),
    source: def(f.oneOf(["product", "marketing", "email"]), "product"),
    properties: def(f.object(), {}),
  },
});

const tickets = build({
  name: "tickets",
  table: "tickets",
  description: "Support requests.",
  key: ["id"],
  mode: "upsert",
  timeField: "opened_at",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    contact: opt(f.text({ max: 200 })),
    opened_at: req(f.timestamp()),
    first_response_at: opt(f.timestamp()),
    resolved_at: opt(f.timestamp()),
    priority: def(f.oneOf(["low", "normal", "high", "urgent"]), "normal"),
    status: req(f.oneOf(["open", "pending", "solved", "closed"])),
    subject: opt(f.text()),
    body: opt(f.text()),
    csat: opt(f.integer({ min: 1, max: 5 })),
    tags: def(f.textList(), []),
  },
  derived: [
    {
      column: "sentiment",
      sqlType: "real",
      compute: (r) => {
        const s = ticketSentiment(r);
        return s === null ? null : String(s);
      },
    },
  ],
});

const invoices = build({
  name: "invoices",
  table: "invoices",
  description: "Billing.",
  key: ["id"],
  mode: "upsert",
  timeField: "issued_at",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    issued_at: req(f.timestamp()),
    due_at: opt(f.timestamp()),
    paid_at: opt(f.timestamp()),
    amount: req(f.amount()),
    currency: req(CURRENCY),
    status: req(f.oneOf(["paid", "open", "failed", "refunded", "void"])),
    discount_pct: opt(PCT),
  },
});

const meetings = build({
  name: "meetings",
  table: "meetings",
  description: "QBRs, check-ins, executive reviews.",
  key: ["id"],
  mode: "upsert",
  timeField: "scheduled_at",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    kind: req(f.oneOf(["qbr", "ebr", "check_in", "onboarding", "training", "escalation"])),
    scheduled_at: req(f.timestamp()),
    status: req(f.oneOf(["held", "cancelled", "no_show"])),
    attendees: def(f.textList(), [], "contact ids"),
  },
});

const surveys = build({
  name: "surveys",
  table: "surveys",
  description: "NPS (0–10) and CSAT (1–5) answers.",
  key: ["id"],
  mode: "upsert",
  timeField: "ts",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    contact: opt(f.text({ max: 200 })),
    ts: req(f.timestamp()),
    kind: req(f.oneOf(["nps", "csat"])),
    score: req(f.integer({ min: 0, max: 10 })),
    comment: opt(f.text()),
  },
  refine: (r, ctx) => {
    if (r.kind === "csat" && typeof r.score === "number" && (r.score < 1 || r.score > 5)) {
      ctx.addIssue({ code: "custom", path: ["score"], message: "a csat score must be between 1 and 5" });
    }
  },
});

const notes = build({
  name: "notes",
  table: "notes",
  description: "Emails, calls, chats and CSM notes.",
  key: ["id"],
  mode: "upsert",
  timeField: "ts",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    contact: opt(f.text({ max: 200 })),
    ts: req(f.timestamp()),
    channel: req(f.oneOf(["email", "call", "chat", "meeting", "note"])),
    direction: opt(f.oneOf(["inbound", "outbound"])),
    text: opt(f.text()),
  },
});

const opportunities = build({
  name: "opportunities",
  table: "opportunities",
  description: "Renewal and expansion deals.",
  key: ["id"],
  mode: "upsert",
  timeField: "close_date",
  fields: {
    id: req(f.id()),
    account: ACCOUNT,
    kind: req(f.oneOf(["renewal", "expansion"])),
    stage: opt(f.text({ max: 200 })),
    amount: opt(f.amount()),
    currency: opt(CURRENCY),
    discount_requested_pct: opt(PCT),
    close_date: opt(f.date()),
    status: req(f.oneOf(["open", "won", "lost"])),
    lost_reason: opt(f.text({ max: 5000 }), "why it was lost, in words (a named competitor is found here)"),
    competitor: opt(f.text({ max: 200 }), "the competitor that won it, when lost to one"),
    history: opt(
      f.dealHistory(),
      "the deal's field history: [{at, stage, close_date, discount_requested_pct, amount}]",
    ),
  },
});

const metrics = build({
  name: "metrics",
  table: "metrics",
  description: "Account metrics computed elsewhere, keyed by (account, date, name).",
  key: ["account", "name", "date"],
  mode: "upsert",
  timeField: "date",
  fields: {
    account: ACCOUNT,
    date: req(f.date()),
    name: req(f.text({ max: 200 })),
    value: req(f.number()),
  },
});

export const ENTITIES: Readonly<Record<EntityName, Entity>> = {
  accounts,
  contacts,
  subscriptions,
  events,
  tickets,
  invoices,
  meetings,
  surveys,
  notes,
  opportunities,
  metrics,
};

export function isEntityName(name: string): name is EntityName {
  return (ENTITY_NAMES as readonly string[]).includes(name);
}

/** The store column of an API field. */
export function columnOf(entity: Entity, field: string): string {
  return entity.fields[field]?.field.column ?? field;
}
