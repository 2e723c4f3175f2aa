import { z } from "zod";
import { AppError } from "../errors.js";
import { textProblem } from "../ingest/index.js";

/**
 * The alert routes' answers, as schemas (web/src/lib/notify-types.ts is the
 * contract), and `checked`: a body read against its input schema with each
 * problem naming its field as the dashboard's forms do (`smtp.host`,
 * `slack_channels[1].webhook_url`).
 */

const when = z.string().describe("ISO 8601, UTC");

/** `a.b[1].c` from a zod issue's path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The value parsed by `schema`, or a 400 naming every field that is wrong (a missing body reads as empty). */
export function checked<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const bad: { field: string; message: string }[] = [];
  textProblems(value, [], bad);
  if (bad.length > 0)
    throw new AppError("validation_failed", `invalid ${bad.map((d) => d.field).join(", ")}`, {
      details: bad,
    });
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => ({ field: fieldPath(i.path), message: i.message }));
  throw new AppError("validation_failed", `invalid ${details.map((d) => d.field || "input").join(", ")}`, {
    details,
  });
}

/** Text the store cannot hold (a NUL, a control character, a lone surrogate), by field: a 400, never a 500. */
function textProblems(
  v: unknown,
  path: PropertyKey[],
  out: { field: string; message: string }[],
  depth = 0,
): void {
  if (out.length >= 20 || depth > 8) return;
  if (typeof v === "string") {
    const problem = textProblem(v);
    if (problem) out.push({ field: fieldPath(path) || "input", message: problem });
  } else if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) textProblems(x, [...path, i], out, depth + 1);
  } else if (v && typeof v === "object")
    for (const [k, x] of Object.entries(v)) textProblems(x, [...path, k], out, depth + 1);
}

/** A path parameter: an id the store can hold. */
export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .refine((s) => textProblem(s) === undefined, "must be plain text"),
});

/** Any JSON object (checked by the handler, so each field is named the dashboard's way). */
export const anyBody = z.record(z.string(), z.unknown()).nullish();

export const notificationSchema = z.object({
  id: z.string(),
  event_type: z.string(),
  severity: z.string(),
  title: z.string(),
  account: z.object({ id: z.string(), name: z.string() }),
  play_id: z.string().nullable(),
  occurrences: z.number(),
  delivery: z.enum(["immediate", "digest"]),
  created_at: when,
  updated_at: when,
  read_at: when.nullable(),
  link: z.string(),
  content: z.looseObject({}).describe("what the message says (AlertContent)"),
});

export const notificationListSchema = z.object({
  items: z.array(notificationSchema),
  unread: z.number(),
  next_cursor: z.string().nullable(),
});
export const unreadSchema = z.object({ unread: z.number() });
export const markedSchema = z.object({ marked: z.number(), unread: z.number() });

export const myPrefsSchema = z.object({
  email: z.boolean(),
  slack: z.boolean(),
  slack_url_set: z.boolean(),
  mode: z.enum(["default", "immediate", "digest"]),
  digest_hour: z.number().nullable(),
  quiet_hours: z.object({ start: z.string(), end: z.string() }).nullable(),
  budget_per_day: z.number().nullable(),
  time_zone: z.string(),
});

export const subscriptionSchema = z.object({
  id: z.string(),
  scope: z.enum(["account", "segment", "band", "event"]),
  value: z.string(),
  event_types: z.array(z.string()),
  channel: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export const subscriptionListSchema = z.object({ items: z.array(subscriptionSchema) });

export const notifySettingsSchema = z.object({
  smtp: z
    .object({
      host: z.string(),
      port: z.number(),
      security: z.enum(["tls", "starttls", "none"]),
      user: z.string().nullable(),
      from: z.string(),
      password_set: z.boolean(),
    })
    .nullable(),
  smtp_source: z.enum(["settings", "environment"]).nullable(),
  slack_channels: z.array(
    z.object({ id: z.string(), name: z.string(), url_set: z.boolean(), disabled: z.boolean() }),
  ),
  budget_per_day: z.number(),
  digest_hour: z.number(),
  score_drop_points: z.number(),
  public_url_hint: z.string().nullable(),
});

export const testEmailSchema = z.object({
  delivery_id: z.string(),
  state: z.enum(["pending", "sending", "delivered", "dead", "uncertain", "cancelled"]),
  status: z.number().nullable(),
  error: z.string().nullable(),
});
