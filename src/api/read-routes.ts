import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { teamOf } from "../auth/index.js";
import { BANDS } from "../domain/index.js";
import { AppError } from "../errors.js";
import { ACCOUNT_SORTS, countFacts, getAccount, listAccounts, listRecords } from "../facts/index.js";
import { ENTITIES, ENTITY_NAMES } from "../ingest/index.js";
import { type Db, NO_GROUP } from "../store/index.js";
import { principal } from "./guard.js";
import { queryDate, queryInt, queryNumber } from "./params.js";
import { kindList } from "./signal-schemas.js";

const limit = queryInt(1, 1000).default(50);
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });
const anyRecord = z.record(z.string(), z.unknown());

export function readRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    "/api/v1/accounts",
    {
      schema: {
        tags: ["accounts"],
        summary: "List accounts",
        querystring: z.object({
          segment: z.string().optional().describe(`a segment; "${NO_GROUP}" for accounts with none`),
          owner: z.string().optional().describe(`an owner; "${NO_GROUP}" for accounts with none`),
          status: z.enum(["active", "churned"]).optional(),
          band: z
            .string()
            .refine(
              (v) => v.split(",").every((b) => (BANDS as readonly string[]).includes(b.trim())),
              `must be one or more of ${BANDS.join(", ")}, separated by commas`,
            )
            .optional()
            .describe("healthy, watch, at_risk, critical; several separated by commas"),
          q: z.string().max(200).optional().describe("name contains (case-insensitive)"),
          renewal_from: queryDate.optional(),
          renewal_to: queryDate.optional(),
          min_score: queryNumber(0, 100).optional(),
          max_score: queryNumber(0, 100).optional(),
          flagged: z
            .enum(["true", "false"])
            .transform((v) => v === "true")
            .optional()
            .describe("true: only the accounts the churn model in use flags; false: only the others"),
          signal: kindList
            .optional()
            .describe("only accounts with an active signal of this kind (several separated by commas)"),
          sort: z
            .string()
            .optional()
            .describe(`one of ${Object.keys(ACCOUNT_SORTS).join(", ")}; prefix with - for descending`),
          book: z
            .enum(["mine", "team"])
            .optional()
            .describe(
              "mine: the signed-in user's accounts; team: theirs and their reports' (a leader's team)",
            ),
          limit,
          cursor: z.string().optional(),
        }),
        response: { 200: pageOf(anyRecord) },
      },
    },
    async (req) => {
      const { book, ...query } = req.query;
      if (!book) return listAccounts(db, query);
      const who = principal(req);
      if (who.kind !== "user")
        throw new AppError("validation_failed", "book: an API key has no accounts of its own", {
          details: [{ field: "book", message: "needs a signed-in user" }],
        });
      const owners = book === "mine" ? [who.user.id] : [who.user.id, ...(await teamOf(db, who.user.id))];
      return listAccounts(db, { ...query, owner_users: owners });
    },
  );

  r.get(
    "/api/v1/accounts/:id",
    {
      schema: {
        tags: ["accounts"],
        summary: "One account and the counts of its facts",
        params: z.object({ id: z.string() }),
        response: { 200: z.object({ account: anyRecord, counts: z.record(z.string(), z.number()) }) },
      },
    },
    async (req) => ({
      account: await getAccount(db, req.params.id),
      counts: await countFacts(db, req.params.id),
    }),
  );

  for (const name of ENTITY_NAMES) {
    if (name === "accounts") continue;
    const entity = ENTITIES[name];
    r.get(
      `/api/v1/${name}`,
      {
        schema: {
          tags: ["facts"],
          summary: `List ${name}, newest first`,
          querystring: z.object({ account: z.string().optional(), limit, cursor: z.string().optional() }),
          response: { 200: pageOf(anyRecord) },
        },
      },
      async (req) => listRecords(db, entity, req.query),
    );
  }
}
