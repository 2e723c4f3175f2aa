import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.js";
import {
  ENTITIES,
  ENTITY_NAMES,
  type FileFormat,
  type ImportResult,
  importBody,
  isEntityName,
} from "../ingest/index.js";
import { JOBS, type JobQueue, queueFreshScores } from "../jobs/index.js";
import type { Db } from "../store/index.js";

export const countsSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

/** Called after every successful import with the accounts whose facts changed. */
export type OnIngested = (entity: string, result: ImportResult) => void;

const FORMATS: Record<string, FileFormat> = {
  "application/json": "json",
  "application/x-ndjson": "ndjson",
  "application/ndjson": "ndjson",
  "text/csv": "csv",
};

/**
 * POST /api/v1/<entity>. Bodies arrive as bytes (never parsed on the event
 * loop here): importBody reads small ones in place and hands large ones to a
 * worker thread. Registered as its own plugin so its body parsers stay its own.
 */
export async function ingestRoutes(
  app: FastifyInstance,
  deps: { db: Db; jobs?: JobQueue; onIngested?: OnIngested },
): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(Object.keys(FORMATS), { parseAs: "buffer" }, (_req, body, done) =>
      done(null, body),
    );
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const inTransaction = queueFreshScores(deps.jobs);
    for (const name of ENTITY_NAMES) {
      const entity = ENTITIES[name];
      r.post(
        `/api/v1/${name}`,
        {
          schema: {
            tags: ["ingest"],
            summary: `Upsert ${name}`,
            description: `${entity.description} Send a JSON array, {"records": [...]}, NDJSON (Content-Type: application/x-ndjson) or CSV (text/csv). All or nothing: one bad record rejects the request and nothing is written.`,
            body: z.union([z.array(entity.schema), z.object({ records: z.array(entity.schema) })]),
            response: { 200: countsSchema },
          },
          // Records are validated one by one by the import itself, to report each problem with its index.
          validatorCompiler: () => (data) => ({ value: data }),
        },
        async (req) => {
          const type = (req.headers["content-type"] ?? "application/json")
            .split(";")[0]!
            .trim()
            .toLowerCase();
          const body = req.body as unknown as Buffer | undefined;
          const result = await importBody(deps.db, entity, body, FORMATS[type] ?? "json", { inTransaction });
          if (result.touched.length) deps.jobs?.wake(JOBS.rescoreAccounts);
          deps.onIngested?.(name, result);
          return { inserted: result.inserted, updated: result.updated, unchanged: result.unchanged };
        },
      );
    }
    // Any other entity name is a 404 that says which ones exist.
    scope.post("/api/v1/:entity", async (req) => {
      const { entity } = req.params as { entity: string };
      if (!isEntityName(entity)) {
        throw new AppError(
          "unknown_entity",
          `unknown entity "${entity.slice(0, 60)}": use one of ${ENTITY_NAMES.join(", ")}`,
        );
      }
      throw new AppError("not_found", "no such route");
    });
  });
}
