import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { accountSignals, listSignals, signalSummary } from "../signals/read.js";
import type { Db } from "../store/index.js";
import { queryInt } from "./params.js";
import { accountSignalsSchema, kindList, signalPageSchema, signalSummarySchema } from "./signal-schemas.js";

export type SignalRouteDeps = { db: Db; clock: () => Date };

const tags = ["signals"];

/** Signals: an account's, the list, and the Signals page's summary. */
export function signalRoutes(app: FastifyInstance, deps: SignalRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = deps;

  r.get(
    "/api/v1/accounts/:id/signals",
    {
      schema: {
        tags,
        summary:
          "An account's signals with their evidence: the active ones (most severe first), and those cleared in the last 180 days",
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: accountSignalsSchema },
      },
    },
    async (req) => accountSignals(db, req.params.id, { now: clock() }),
  );

  r.get(
    "/api/v1/signals",
    {
      schema: {
        tags,
        summary: "Signals across the portfolio, newest first (by last seen), a page at a time",
        querystring: z.object({
          kind: kindList.optional().describe("signal kinds separated by commas (default every kind)"),
          active: z
            .enum(["true", "false", "all"])
            .default("true")
            .describe("true: active signals (the default); false: cleared ones; all: both"),
          account: z.string().min(1).max(200).optional().describe("one account's signals only"),
          limit: queryInt(1, 500).default(50),
          cursor: z.string().max(1000).optional().describe("the next_cursor of the previous page"),
        }),
        response: { 200: signalPageSchema },
      },
    },
    async (req) => {
      const { active, ...rest } = req.query;
      return listSignals(db, { ...rest, active: active === "all" ? undefined : active === "true" });
    },
  );

  r.get(
    "/api/v1/signals/summary",
    {
      schema: {
        tags,
        summary:
          "Accounts and ARR with an active signal per kind, now and 30 and 90 days ago, and the competitors named most (the last 180 days) with their accounts",
        response: { 200: signalSummarySchema },
      },
    },
    async () => signalSummary(db, { now: clock() }),
  );
}
