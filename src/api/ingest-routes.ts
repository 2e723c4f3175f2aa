import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.js";
import {
  csvRecords,
  ENTITIES,
  ENTITY_NAMES,
  type ImportResult,
  type Item,
  importRecords,
  isEntityName,
  jsonRecords,
  ndjsonTextRecords,
} from "../ingest/index.js";
import type { Db } from "../store/index.js";

export const countsSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});

/** Called after every successful import with the accounts whose facts changed. */
export type OnIngested = (entity: string, result: ImportResult) => void;

export function ingestRoutes(app: FastifyInstance, db: Db, onIngested?: OnIngested): void {
  // Only JSON, NDJSON and CSV are accepted; anything else is a 415.
  app.removeContentTypeParser("text/plain");
  // NDJSON and CSV bodies arrive as text, under the same size limit as JSON.
  app.addContentTypeParser(
    ["application/x-ndjson", "application/ndjson", "text/csv"],
    { parseAs: "string" },
    (_req, body, done) => done(null, body),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();
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
        const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
        let items: Iterable<Item[]> | AsyncIterable<Item[]>;
        if (type === "text/csv") items = csvRecords(entity, String(req.body ?? ""));
        else if (type === "application/x-ndjson" || type === "application/ndjson")
          items = ndjsonTextRecords(String(req.body ?? ""));
        else items = jsonRecords(req.body);
        const result = await importRecords(db, entity, items);
        onIngested?.(name, result);
        return { inserted: result.inserted, updated: result.updated, unchanged: result.unchanged };
      },
    );
  }
  // Any other entity name is a 404 that says which ones exist.
  app.post("/api/v1/:entity", async (req) => {
    const { entity } = req.params as { entity: string };
    if (!isEntityName(entity)) {
      throw new AppError(
        "unknown_entity",
        `unknown entity "${entity}": use one of ${ENTITY_NAMES.join(", ")}`,
      );
    }
    throw new AppError("not_found", "no such route");
  });
}
