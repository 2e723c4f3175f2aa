import { z } from "zod";
import { OUTCOMES, PLAY_STATES } from "../playbooks/plays.js";

/** The plays API's answers, as schemas: each route declares the one it answers with. */

const person = z.object({ id: z.string(), name: z.string(), email: z.string() });
const when = z.string().describe("ISO 8601, UTC");

export const playSchema = z.object({
  id: z.string(),
  account: z.object({
    id: z.string(),
    name: z.string(),
    band: z.string().nullable(),
    score: z.number().nullable(),
    segment: z.string().nullable(),
    arr: z.number().nullable(),
  }),
  playbook: z.string(),
  playbook_version: z.number(),
  name: z.string(),
  tier: z.number(),
  reason: z.string(),
  state: z.enum(PLAY_STATES),
  owner: person.nullable(),
  owner_via: z.string(),
  collaborators: z.array(person),
  opened_at: when,
  acknowledged_at: when.nullable(),
  ack_due_at: when.nullable(),
  due_at: when,
  overdue: z.boolean().describe("not closed and past its due time"),
  late_ms: z.number().nullable().describe("how late, when overdue"),
  closed_at: when.nullable(),
  closed_by: z.string().nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  outcome_note: z.string().nullable(),
  outcome_amount: z.number().nullable(),
  superseded_by: z.string().nullable(),
  condition_cleared_at: when.nullable(),
  cleared_reason: z.string().nullable(),
  occurrences: z.number(),
  escalation_level: z.number(),
  snoozed_until: when.nullable(),
  snooze_reason: z.string().nullable(),
  baseline: z.object({
    score: z.number().nullable(),
    band: z.string().nullable(),
    churn_probability: z.number().nullable(),
    arr: z.number().nullable(),
    renewal_date: z.string().nullable(),
  }),
  arm: z.enum(["treated", "holdout"]),
  notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() })),
  steps: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      position: z.number(),
      owner: person.nullable(),
      due_at: when,
      done_at: when.nullable(),
      done_by: z.string().nullable(),
    }),
  ),
  can_change: z.boolean().describe("whether the caller may change it"),
});

export const playEventSchema = z.object({
  at: when,
  kind: z.string(),
  actor: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const playPageSchema = z.object({ plays: z.array(playSchema), next_cursor: z.string().nullable() });
export const playWithEventsSchema = playSchema.extend({ events: z.array(playEventSchema) });
export const accountPlaysSchema = z.object({ open: z.array(playSchema), history: z.array(playSchema) });

export const teamPlaysSchema = z.object({
  from: when,
  to: when,
  people: z.array(
    z.object({
      user: person.extend({ role: z.string(), manager_id: z.string().nullable() }),
      open: z.number(),
      overdue: z.number(),
      closed: z.number(),
      closed_by_outcome: z.record(z.string(), z.number()),
      acknowledged_on_time_share: z.number().nullable(),
      done_on_time_share: z.number().nullable(),
      opened_per_week: z.number(),
    }),
  ),
  unassigned_open: z.number(),
});
