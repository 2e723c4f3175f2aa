import { createServer } from "node:http";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Config } from "../config.js";
import type { JobQueue } from "../jobs/index.js";
import type { Db } from "../store/index.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { installEdgeChecks } from "./edge.js";
import { installErrorHandler } from "./errors.js";
import { ingestRoutes, type OnIngested } from "./ingest-routes.js";
import { modelRoutes } from "./model-routes.js";
import { readRoutes } from "./read-routes.js";
import { safeError, safeRequest } from "./safe-log.js";
import { scoringRoutes } from "./scoring-routes.js";

export interface ServerDeps {
  db: Db;
  config: Pick<Config, "bodyLimit" | "logLevel"> & Partial<Pick<Config, "requestTimeoutMs">>;
  onIngested?: OnIngested;
  /** The job queue: imports queue fresh scores on it (none queued without it). */
  jobs?: JobQueue;
  scorecardFile?: string;
  /** Where log lines go (standard output when absent). */
  logStream?: NodeJS.WritableStream;
  /** Extra route groups (scoring, dashboard) registered by later stages. */
  plugins?: ((app: FastifyInstance) => void | Promise<void>)[];
}

export const VERSION = "0.1.0";

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const requestTimeout = deps.config.requestTimeoutMs ?? 120_000;
  const app = Fastify({
    bodyLimit: deps.config.bodyLimit,
    // A slow client gets `requestTimeout` to send its whole request (then 408), checked
    // a few times within it; a silent socket is closed a little later.
    serverFactory: (handler) =>
      createServer(
        { requestTimeout, connectionsCheckingInterval: Math.min(30_000, Math.max(100, requestTimeout / 4)) },
        handler,
      ),
    connectionTimeout: requestTimeout + 180_000,
    logger:
      deps.config.logLevel === "silent"
        ? false
        : {
            level: deps.config.logLevel,
            serializers: { err: safeError, req: safeRequest },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
          },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app, deps.config.bodyLimit);
  installEdgeChecks(app);

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
    await deps.db.ping();
    return { status: "ok" };
  });
  await ingestRoutes(app, { db: deps.db, jobs: deps.jobs, onIngested: deps.onIngested });
  readRoutes(app, deps.db);
  scoringRoutes(app, deps.db, { scorecardFile: deps.scorecardFile });
  await dashboardRoutes(app, deps.db);
  modelRoutes(app, deps.db);
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
