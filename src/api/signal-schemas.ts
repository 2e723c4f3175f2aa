import { z } from "zod";
import { SIGNAL_KINDS } from "../signals/kinds.js";

/** The signals API's answers, as schemas: each route declares the one it answers with. */

const when = z.string().describe("ISO 8601, UTC");

export const evidenceSchema = z.object({
  entity: z.string().optional().describe("tickets, notes, surveys, opportunities, contacts, meetings"),
  id: z.string().optional().describe("the record's id"),
  date: z.string().optional().describe("YYYY-MM-DD"),
  text: z.string().describe("the matching sentence, or the numbers in words"),
  match: z
    .tuple([z.number(), z.number()])
    .optional()
    .describe("[start, end) of the match within text (UTF-16 units)"),
  values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).optional(),
});

export const signalSchema = z.object({
  id: z.string(),
  kind: z.string().describe(SIGNAL_KINDS.join(", ")),
  label: z.string(),
  account: z.object({ id: z.string(), name: z.string() }),
  contact: z.object({ id: z.string(), name: z.string().nullable(), role: z.string().nullable() }).nullable(),
  competitor: z.string().nullable(),
  severity: z.enum(["critical", "high", "medium", "low"]),
  first_seen: when,
  last_seen: when,
  occurrences: z.number(),
  active: z.boolean(),
  cleared_at: when.nullable(),
  summary: z.string(),
  evidence: z.array(evidenceSchema),
});

export const signalPageSchema = z.object({
  items: z.array(signalSchema),
  next_cursor: z.string().nullable().describe("pass as cursor for the next page; null on the last"),
});

export const accountSignalsSchema = z.object({
  active: z.array(signalSchema),
  recent: z.array(signalSchema).describe("cleared in the last 180 days, latest cleared first"),
});

const landscapeAccount = z.object({
  id: z.string(),
  name: z.string(),
  arr: z.number().nullable(),
  active: z.boolean(),
  last_seen: when,
});

export const signalSummarySchema = z.object({
  as_of: when,
  total: z.object({ accounts: z.number(), arr: z.number() }),
  kinds: z.array(
    z.object({
      kind: z.enum(SIGNAL_KINDS),
      label: z.string(),
      accounts: z.number(),
      arr: z.number(),
      signals: z.number(),
      accounts_30d_ago: z.number(),
      accounts_90d_ago: z.number(),
      arr_30d_ago: z.number(),
      arr_90d_ago: z.number(),
    }),
  ),
  landscape: z.object({
    since: when,
    competitors: z.array(
      z.object({
        competitor: z.string(),
        accounts: z.number(),
        arr: z.number(),
        active_accounts: z.number(),
        mentions: z.number(),
        last_seen: when,
        top_accounts: z.array(landscapeAccount),
      }),
    ),
  }),
});

/** `kind=a,b`: signal kinds separated by commas, each one of SIGNAL_KINDS. */
export const kindList = z
  .string()
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .refine(
    (ks) => ks.every((k) => (SIGNAL_KINDS as readonly string[]).includes(k)),
    `must be one or more of ${SIGNAL_KINDS.join(", ")}, separated by commas`,
  )
  .transform((ks) => ks as (typeof SIGNAL_KINDS)[number][]);
