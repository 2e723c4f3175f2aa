import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../auth/index.js";
import { redetectTextJob } from "../jobs/definitions/signals.js";
import type { JobQueue } from "../jobs/index.js";
import { listCompetitors, setCompetitors } from "../signals/competitors.js";
import { redetectText } from "../signals/text-findings.js";
import type { Db } from "../store/index.js";
import { principal } from "./guard.js";

export type CompetitorRouteDeps = { db: Db; clock: () => Date; jobs: JobQueue | undefined };

const tags = ["signals"];
const competitorSchema = z.object({
  name: z.string().describe("as people name it (1–200 characters)"),
  aliases: z.array(z.string()).describe("other names customers use for it, matched as whole words"),
});
const listSchema = z.array(competitorSchema);

/** A list sent bare (`[{name, aliases}]`) or as `{competitors: [...]}`. */
function listOf(body: unknown): unknown {
  if (body && typeof body === "object" && !Array.isArray(body) && "competitors" in body)
    return (body as { competitors: unknown }).competitors;
  return body ?? null;
}

/** GET/PUT /api/v1/competitors: the competitors text analysis looks for. */
export function competitorRoutes(app: FastifyInstance, deps: CompetitorRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  r.get(
    "/api/v1/competitors",
    {
      schema: {
        tags,
        summary: "The competitors named in tickets, notes, survey comments and lost deals are looked for",
        response: { 200: listSchema },
      },
    },
    async () => listCompetitors(db),
  );

  r.put(
    "/api/v1/competitors",
    {
      schema: {
        tags,
        summary:
          'Replace the competitors ([{"name": "Northwind Analytics", "aliases": ["Northwind"]}]); names and aliases are unique ignoring case; a change reads the stored text again',
        body: z.unknown(),
        response: { 200: listSchema },
      },
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (req) => {
      const { competitors, changed } = await db.transaction((tx) =>
        setCompetitors(tx, listOf(req.body), actorOf(principal(req), req.ip)),
      );
      if (changed) {
        if (deps.jobs) {
          await deps.jobs.send(redetectTextJob, {});
          deps.jobs.wake(redetectTextJob);
        } else await redetectText(db);
      }
      return competitors;
    },
  );
}
