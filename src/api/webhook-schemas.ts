import { z } from "zod";
import { CHANNELS, DELIVERY_STATES } from "../notify/delivery-log.js";
import { GRACE_MAX_HOURS } from "../notify/webhook-admin.js";

/** The webhook, hook, events and deliveries API: what it takes and answers (web/src/lib/notify-types.ts). */

const when = z.string().describe("ISO 8601, UTC");

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  event_types: z.array(z.string()),
  source: z.enum(["admin", "rest_hook"]),
  created_at: when,
  disabled_at: when.nullable(),
  disabled_reason: z.string().nullable(),
  deliveries: z.object({ delivered: z.number(), pending: z.number(), dead: z.number() }),
});

export const webhookCreatedSchema = z.object({
  id: z.string(),
  url: z.string(),
  event_types: z.array(z.string()),
  secret: z.string().describe("whsec_…: the signing secret, shown this once"),
});

export const secretRotatedSchema = z.object({ id: z.string(), secret: z.string() });

export const deliverySchema = z.object({
  id: z.string().describe("also the webhook-id header, the same on every attempt"),
  channel: z.enum(CHANNELS),
  event_type: z.string(),
  target: z.string(),
  state: z.enum(DELIVERY_STATES),
  attempts: z.number(),
  next_attempt_at: when.nullable(),
  last_status: z.number().nullable(),
  last_error: z.string().nullable(),
  last_response: z.string().nullable(),
  created_at: when,
  delivered_at: when.nullable(),
  dead_at: when.nullable(),
  alert_id: z.string().nullable(),
  endpoint_id: z.string().nullable(),
});

/** A test send's answer: the delivery, and its id again under the name the dashboard reads. */
export const testSentSchema = deliverySchema.extend({ delivery_id: z.string() });

export const deliveriesPageSchema = z.object({
  items: z.array(deliverySchema),
  next_cursor: z.string().nullable(),
});

export const deliveryDetailSchema = deliverySchema.extend({
  attempts: z.array(
    z.object({
      n: z.number(),
      started_at: when,
      finished_at: when.nullable(),
      status: z.number().nullable(),
      error: z.string().nullable(),
      response: z.string().nullable(),
      latency_ms: z.number().nullable(),
    }),
  ),
  attempt_count: z.number().describe("attempts made (the list's length, unless some were cleared)"),
  body: z.unknown().describe("what is sent, the same on every attempt; never a secret"),
});

export const eventsPageSchema = z.object({
  items: z.array(
    z.object({
      id: z.string().describe("the event's id (a number, as a string): what a poller dedupes on"),
      type: z.string(),
      at: when,
      account: z.string(),
      play_id: z.string().nullable(),
      data: z.unknown().describe("what a webhook for the event carries as its data"),
    }),
  ),
  next_before: z.string().nullable().describe("pass as before for the next page back; null at the end"),
});

export const hookSchema = z.object({ id: z.string(), target_url: z.string(), event: z.string() });

// ---------------------------------------------------------------- input

export const webhookInput = z.object({
  url: z.string().max(2000),
  description: z.string().max(500).nullish(),
  event_types: z.array(z.string().max(100)).max(50).optional(),
});

export const webhookChange = z.object({
  url: z.string().max(2000).optional(),
  description: z.string().max(500).nullable().optional(),
  event_types: z.array(z.string().max(100)).max(50).optional(),
  disabled: z.boolean().optional(),
  enabled: z.boolean().optional().describe("the opposite of disabled (either may be sent)"),
});

export const rotateInput = z.object({
  grace_hours: z
    .number()
    .min(0)
    .max(GRACE_MAX_HOURS)
    .optional()
    .describe(
      `hours the old secret keeps signing beside the new one (default 24, at most ${GRACE_MAX_HOURS})`,
    ),
});

export const hookInput = z.object({
  target_url: z.string().max(2000),
  event: z.string().max(100),
});

/** A comma-separated query value as a list ("dead,uncertain"). */
export const csv = z
  .string()
  .max(1000)
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter((x) => x !== ""),
  );
