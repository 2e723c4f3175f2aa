import { z } from "zod";
import { BANDS } from "../bands.js";
import { DURATION_PATTERN } from "./durations.js";

/**
 * Playbooks: what opens a play, for whom, who owns it, by when, its steps,
 * how it escalates. Configuration (a YAML file or PUT /api/v1/playbooks),
 * versioned like the scorecard. Every rule lives in the schema, so a file's
 * problems all come back at once, each with its path.
 */

const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const key = () =>
  z.string().regex(KEY_PATTERN, "must be lower case letters, digits and _ (starting with a letter)");
const text = () => z.string().trim().min(1, "must not be empty");
const duration = () =>
  z.string().regex(DURATION_PATTERN, "must be a duration such as 0h, 30m, 48h, 14d or 2w");
const email = () => z.string().trim().email("must be an email address");

/** Who a play, a step or an escalation goes to. */
export const ownerRuleSchema = z.union(
  [
    z.enum(["owner", "owner_manager", "executive"], {
      error: 'must be "owner", "owner_manager", "executive" or { user: EMAIL }',
    }),
    z.object({ user: email() }).strict(),
  ],
  { error: 'must be "owner", "owner_manager", "executive" or { user: EMAIL }' },
);
export type OwnerRule = z.infer<typeof ownerRuleSchema>;

const band = z.enum(BANDS);

/** One condition; `all` and `any` combine conditions. Exactly one kind per condition. */
export type Trigger =
  | { band: z.infer<typeof band> | z.infer<typeof band>[] }
  | { score_drop: { points: number; days: number } }
  | { model_flag: true }
  | { churn_probability: { at_least: number } }
  | { signal: string | string[] }
  | { signals: { any_of: string[]; at_least: number; within_days?: number | undefined } }
  | { renewal: { within_days: number } }
  | { metric: { name: string; above?: number | undefined; below?: number | undefined } }
  | { all: Trigger[] }
  | { any: Trigger[] };

const CONDITION_KINDS = [
  "band",
  "score_drop",
  "model_flag",
  "churn_probability",
  "signal",
  "signals",
  "renewal",
  "metric",
  "all",
  "any",
] as const;

export const triggerSchema: z.ZodType<Trigger> = z.lazy(() =>
  z
    .object({
      band: z
        .union([band, z.array(band).min(1, "must name at least one band")], {
          error: `must be one of ${BANDS.map((b) => `"${b}"`).join(", ")} or a list of them`,
        })
        .optional(),
      score_drop: z
        .object({
          points: z.number().positive("must be a positive number of points"),
          days: z.number().int("must be a whole number of days").positive("must be at least 1"),
        })
        .strict()
        .optional(),
      model_flag: z.literal(true, { error: "must be true" }).optional(),
      churn_probability: z
        .object({ at_least: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1") })
        .strict()
        .optional(),
      signal: z.union([key(), z.array(key()).min(1, "must name at least one signal")]).optional(),
      signals: z
        .object({
          any_of: z.array(key()).min(1, "must name at least one signal"),
          at_least: z.number().int("must be a whole number").min(1, "must be at least 1"),
          within_days: z
            .number()
            .int("must be a whole number of days")
            .positive("must be at least 1")
            .optional(),
        })
        .strict()
        .refine((x) => x.at_least <= x.any_of.length, {
          message: "`at_least` cannot be more than the kinds in `any_of`",
        })
        .optional(),
      renewal: z
        .object({
          within_days: z.number().int("must be a whole number of days").positive("must be at least 1"),
        })
        .strict()
        .optional(),
      metric: z
        .object({ name: text(), above: z.number().optional(), below: z.number().optional() })
        .strict()
        .refine((m) => m.above !== undefined || m.below !== undefined, {
          message: "needs `above` or `below`",
        })
        .optional(),
      all: z.array(triggerSchema).min(1, "must list at least one condition").optional(),
      any: z.array(triggerSchema).min(1, "must list at least one condition").optional(),
    })
    .strict()
    .superRefine((t, ctx) => {
      const kinds = CONDITION_KINDS.filter((k) => t[k] !== undefined);
      if (kinds.length !== 1)
        ctx.addIssue({
          code: "custom",
          message:
            kinds.length === 0
              ? `needs one condition: ${CONDITION_KINDS.join(", ")}`
              : `has ${kinds.join(" and ")}: one condition each (combine with all or any)`,
        });
    }),
) as z.ZodType<Trigger>;

export const audienceSchema = z
  .object({
    segments: z.array(text()).min(1).optional(),
    plans: z.array(text()).min(1).optional(),
    arr_at_least: z.number().min(0, "must be 0 or more").optional(),
    /** The accounts owned by this leader's team (the users whose manager chain reaches them). */
    owner_team: email().optional(),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;

export const stepSchema = z
  .object({
    key: key(),
    title: text(),
    /** From the play's opening. */
    due: duration(),
    owner: ownerRuleSchema.optional(),
  })
  .strict();
export type PlaybookStep = z.infer<typeof stepSchema>;

/**
 * Repeated keys in a list. Checked even when other parts of the file are
 * wrong (zod skips refinements after other issues by default), so a file's
 * problems all come back at once; hence the unknown input.
 */
function flagRepeats(list: unknown, ctx: z.RefinementCtx, at: string[], what: string): void {
  if (!Array.isArray(list)) return;
  const seen = new Set<string>();
  list.forEach((item: unknown, i) => {
    const k = typeof item === "object" && item !== null ? (item as { key?: unknown }).key : undefined;
    if (typeof k !== "string") return;
    if (seen.has(k))
      ctx.addIssue({ code: "custom", path: [...at, i, "key"], message: `repeats ${what} ${k}` });
    seen.add(k);
  });
}
const onObjects = {
  when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null,
};

const ESCALATION_AT = /^(\d+(?:\.\d+)?)%$|^(\d+(?:\.\d+)?)(m|h|d|w)$/;

export const escalationSchema = z
  .object({
    /** `50%` of the time from opening to due, or a duration after the due time (`4h`). */
    at: z
      .string()
      .regex(ESCALATION_AT, "must be a share of the time to due (50%, 150%) or a duration after due (4h)"),
    /** The owner is reminded; anyone else is escalated to. */
    to: ownerRuleSchema,
  })
  .strict();
export type EscalationRule = z.infer<typeof escalationSchema>;

export const playbookSchema = z
  .object({
    key: key(),
    name: text(),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    /** Higher tiers supersede lower ones on the same account; 0 = not tiered. */
    tier: z.number().int("must be a whole number").min(0, "must be 0 or more").max(100).default(0),
    trigger: triggerSchema,
    audience: audienceSchema.optional(),
    owner: ownerRuleSchema,
    due: duration(),
    acknowledge_within: duration().optional(),
    steps: z.array(stepSchema).default([]),
    escalation: z.array(escalationSchema).default([]),
    /** Do not open again for an account within this long of closing its last play. */
    cooldown: duration().optional(),
    /** Points past the band threshold a score must go back before a band trigger counts as cleared. */
    hysteresis: z.number().min(0, "must be 0 or more").max(50, "must be at most 50").default(0),
  })
  .strict()
  .superRefine((p, ctx) => flagRepeats(p.steps, ctx, ["steps"], "step"), onObjects);
export type Playbook = z.infer<typeof playbookSchema>;

export const playbooksSchema = z
  .object({
    /** The executive sponsor of each segment's accounts (and of the rest): who `executive` resolves to. */
    executives: z
      .object({ default: email().optional(), segments: z.record(z.string(), email()).optional() })
      .strict()
      .optional(),
    playbooks: z.array(playbookSchema),
  })
  .strict()
  .superRefine((file, ctx) => flagRepeats(file.playbooks, ctx, ["playbooks"], "playbook"), onObjects);
export type Playbooks = z.infer<typeof playbooksSchema>;
export type PlaybooksInput = z.input<typeof playbooksSchema>;
