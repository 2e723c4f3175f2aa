import { z } from "zod";
import { CRITICAL_SIGNALS } from "./critical-signals.js";

/**
 * A scorecard: categories of weighted measures, each mapping one metric to 0–100
 * points, plus band thresholds and the critical signals that override the band.
 * Weights are relative: they are normalised at evaluation and need not sum to 100.
 *
 * Every rule lives in the schema, so `scorecardSchema.safeParse` is complete;
 * `parseScorecard` (parse-scorecard.ts) adds readable messages and paths.
 */

export interface ScorecardSchemaOptions {
  /** When given, every measure's metric must be one of these names. */
  knownMetrics?: ReadonlySet<string> | undefined;
}

const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const BETWEEN_0_AND_100 = "must be between 0 and 100";

const text = () => z.string().trim().min(1, "must not be empty");
const weight = () => z.number().positive("must be a positive number");
const percent = () => z.number().min(0, BETWEEN_0_AND_100).max(100, BETWEEN_0_AND_100);

/** Read a string field of an element that may not have passed its own schema. */
function stringField(item: unknown, field: string): string | undefined {
  if (typeof item !== "object" || item === null) return undefined;
  const value = (item as Record<string, unknown>)[field];
  return typeof value === "string" ? value : undefined;
}

/**
 * A refinement reporting repeated values of `field` (or of the items themselves),
 * run even when some items failed their own schema so all errors show at once.
 */
function uniqueRefinement(label: string, field?: string) {
  return [
    (items: readonly unknown[], ctx: z.RefinementCtx) => {
      const seen = new Map<string, number>();
      items.forEach((item, index) => {
        const value =
          field === undefined ? (typeof item === "string" ? item : undefined) : stringField(item, field);
        if (value === undefined) return;
        const first = seen.get(value);
        if (first === undefined) {
          seen.set(value, index);
          return;
        }
        ctx.addIssue({
          code: "custom",
          path: field === undefined ? [index] : [index, field],
          message: `duplicate ${label} "${value}" (also at [${first}])`,
          input: value,
        });
      });
    },
    { when: (payload: { value: unknown }) => Array.isArray(payload.value) },
  ] as const;
}

export const linearScaleSchema = z
  .strictObject({
    type: z.literal("linear"),
    /** The raw value worth 0 points (or less). May be greater than `best` (lower is better). */
    worst: z.number(),
    /** The raw value worth 100 points (or more). */
    best: z.number(),
  })
  .refine((scale) => scale.worst !== scale.best, { path: ["best"], message: "must differ from worst" });

export const stepSchema = z.strictObject({
  /** Points apply from this raw value up (higher is better). */
  min: z.number().optional(),
  /** Points apply up to this raw value (lower is better). */
  max: z.number().optional(),
  points: percent(),
});

export const stepsScaleSchema = z
  .strictObject({
    type: z.literal("steps"),
    steps: z.array(stepSchema).min(1, "must have at least one step"),
  })
  .superRefine((scale, ctx) => {
    const kindOf = (step: Step) => (step.min === undefined ? "max" : "min");
    const first = scale.steps[0];
    const kind = first === undefined ? "min" : kindOf(first);
    let previous: number | undefined;
    scale.steps.forEach((step, index) => {
      const path = ["steps", index];
      if (step.min === undefined && step.max === undefined) {
        ctx.addIssue({ code: "custom", path, message: "must have either min or max", input: step });
      } else if (step.min !== undefined && step.max !== undefined) {
        ctx.addIssue({ code: "custom", path, message: "must have min or max, not both", input: step });
      } else if (kindOf(step) !== kind) {
        ctx.addIssue({ code: "custom", path, message: `must use ${kind} like steps[0]`, input: step });
      } else {
        const bound = step[kind] as number;
        if (previous !== undefined && bound <= previous) {
          ctx.addIssue({
            code: "custom",
            path: [...path, kind],
            message: `must be greater than steps[${index - 1}].${kind} (${previous})`,
            input: bound,
          });
        }
        previous = bound;
      }
    });
  });

export const percentileScaleSchema = z.strictObject({
  type: z.literal("percentile"),
  /** Rank within the account's segment; `lower_is_better` scores (1 − rank) × 100. */
  direction: z.enum(["higher_is_better", "lower_is_better"]),
});

export const scaleSchema = z.discriminatedUnion("type", [
  linearScaleSchema,
  stepsScaleSchema,
  percentileScaleSchema,
]);

export const bandsSchema = z
  .strictObject({ healthy: percent(), watch: percent() })
  .superRefine((bands, ctx) => {
    if (bands.healthy <= bands.watch) {
      ctx.addIssue({
        code: "custom",
        path: ["healthy"],
        message: `must be greater than watch (${bands.watch})`,
        input: bands.healthy,
      });
    }
  });

export const DEFAULT_BANDS = { healthy: 75, watch: 60 } as const;

/** Builds the scorecard schema; `knownMetrics` adds the unknown-metric check. */
export function makeScorecardSchema(options: ScorecardSchemaOptions = {}) {
  const { knownMetrics } = options;
  const metric = text().superRefine((name, ctx) => {
    if (knownMetrics !== undefined && !knownMetrics.has(name)) {
      ctx.addIssue({ code: "custom", message: `unknown metric "${name}"`, input: name });
    }
  });
  const measure = z.strictObject({
    metric,
    /** Overrides the metric's label in explanations. */
    label: text().optional(),
    description: z.string().optional(),
    weight: weight().default(1),
    scale: scaleSchema,
  });
  const category = z.strictObject({
    key: z
      .string()
      .regex(KEY_PATTERN, "must be lowercase letters, digits and underscores, starting with a letter"),
    name: text(),
    description: z.string().optional(),
    weight: weight(),
    measures: z
      .array(measure)
      .min(1, "must have at least one measure")
      .superRefine(...uniqueRefinement("metric", "metric")),
  });
  return z.strictObject({
    name: text(),
    description: z.string().optional(),
    bands: bandsSchema.default(() => ({ ...DEFAULT_BANDS })),
    core_features: z
      .array(text())
      .default(() => [])
      .superRefine(...uniqueRefinement("feature")),
    critical_signals: z
      .array(
        z.enum(CRITICAL_SIGNALS, {
          error: (issue) =>
            issue.code === "invalid_value" && typeof issue.input === "string"
              ? `unknown critical signal "${issue.input}" (known: ${CRITICAL_SIGNALS.join(", ")})`
              : undefined,
        }),
      )
      .default(() => [])
      .superRefine(...uniqueRefinement("signal")),
    categories: z
      .array(category)
      .min(1, "must have at least one category")
      .superRefine(...uniqueRefinement("key", "key")),
  });
}

/** The scorecard schema without the known-metric check. */
export const scorecardSchema = makeScorecardSchema();

export type Scorecard = z.output<typeof scorecardSchema>;
/** What a scorecard file may omit (`bands`, `core_features`, `critical_signals`, measure `weight`). */
export type ScorecardInput = z.input<typeof scorecardSchema>;
export type ScorecardCategory = Scorecard["categories"][number];
export type Measure = ScorecardCategory["measures"][number];
export type Scale = z.output<typeof scaleSchema>;
export type LinearScale = z.output<typeof linearScaleSchema>;
export type StepsScale = z.output<typeof stepsScaleSchema>;
export type PercentileScale = z.output<typeof percentileScaleSchema>;
export type Step = z.output<typeof stepSchema>;
export type Bands = z.output<typeof bandsSchema>;
