import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Config } from "../config.js";
import type { FreshScores } from "../scoring/index.js";
import type { Db } from "../store/index.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { installErrorHandler } from "./errors.js";
import { ingestRoutes, type OnIngested } from "./ingest-routes.js";
import { modelRoutes } from "./model-routes.js";
import { readRoutes } from "./read-routes.js";
import { scoringRoutes } from "./scoring-routes.js";

export interface ServerDeps {
  db: Db;
  config: Pick<Config, "bodyLimit" | "logLevel">;
  onIngested?: OnIngested;
  /** Keeps current scores fresh after each ingest. */
  fresh?: FreshScores;
  scorecardFile?: string;
  /** Extra route groups (scoring, dashboard) registered by later stages. */
  plugins?: ((app: FastifyInstance) => void | Promise<void>)[];
}

export const VERSION = "0.1.0";

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: deps.config.bodyLimit,
    logger: deps.config.logLevel === "silent" ? false : { level: deps.config.logLevel },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, deps.config.bodyLimit);

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Keepwell API",
        version: VERSION,
        description: "Customer health scores: ingest facts, read accounts and their scores.",
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });

  app.get("/healthz", { schema: { hide: true } }, async () => {
    await deps.db.query("SELECT 1");
    return { status: "ok" };
  });
  ingestRoutes(app, deps.db, (entity, result) => {
    deps.fresh?.touch(result.touched);
    deps.onIngested?.(entity, result);
  });
  readRoutes(app, deps.db);
  scoringRoutes(app, deps.db, { scorecardFile: deps.scorecardFile });
  await dashboardRoutes(app, deps.db);
  modelRoutes(app, deps.db);
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
