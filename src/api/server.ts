import { createServer } from "node:http";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { missingKeyBox, type SecretBox } from "../auth/index.js";
import type { Config } from "../config.js";
import type { JobQueue } from "../jobs/index.js";
import type { Db } from "../store/index.js";
import { competitorRoutes } from "./competitor-routes.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { installEdgeChecks } from "./edge.js";
import { installErrorHandler } from "./errors.js";
import { installGuard } from "./guard.js";
import { hostPolicy } from "./host-policy.js";
import { ingestRoutes, type OnIngested } from "./ingest-routes.js";
import { modelRoutes } from "./model-routes.js";
import { notifyRoutes } from "./notify-routes.js";
import { oidcRoutes } from "./oidc-routes.js";
import { playRoutes } from "./play-routes.js";
import { playbookRoutes } from "./playbook-routes.js";
import { readRoutes } from "./read-routes.js";
import { safeError, safeRequest } from "./safe-log.js";
import { scoringRoutes } from "./scoring-routes.js";
import { sessionRoutes } from "./session-routes.js";
import { signalRoutes } from "./signal-routes.js";
import { teamRoutes } from "./team-routes.js";
import { webhookRoutes } from "./webhook-routes.js";

export interface ServerDeps {
  db: Db;
  config: Pick<Config, "bodyLimit" | "logLevel"> &
    Partial<
      Pick<
        Config,
        "requestTimeoutMs" | "publicUrl" | "host" | "port" | "trustProxy" | "oidc" | "playbooksFile" | "smtp"
      >
    >;
  clock?: () => Date;
  onIngested?: OnIngested;
  /** The job queue: imports queue fresh scores on it (none queued without it). */
  jobs?: JobQueue;
  scorecardFile?: string;
  /** Seals and opens stored secrets (SMTP password, webhook secrets, Slack URLs); without it, setting one is refused. */
  secrets?: SecretBox;
  /** Where log lines go (standard output when absent). */
  logStream?: NodeJS.WritableStream;
  /** Extra route groups (scoring, dashboard) registered by later stages. */
  plugins?: ((app: FastifyInstance) => void | Promise<void>)[];
}

export const VERSION = "0.1.0";

/** The dashboard runs under this policy: its own scripts, styles and API only, and never in a frame. */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const requestTimeout = deps.config.requestTimeoutMs ?? 120_000;
  const clock = deps.clock ?? (() => new Date());
  const https = deps.config.publicUrl?.startsWith("https:") ?? false;
  const app = Fastify({
    // A hop count works too (proxy-addr), though the types only name booleans and addresses.
    trustProxy: (deps.config.trustProxy ?? false) as boolean | string,
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
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(helmet, {
    // Upgrading to https only when served over it (a loopback http server has no https to upgrade to).
    contentSecurityPolicy: { directives: { ...CSP, upgradeInsecureRequests: https ? [] : null } },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
  });
  installGuard(app, {
    db: deps.db,
    clock,
    hostAllowed: hostPolicy(deps.config.publicUrl, deps.config.host),
  });
  // Where links point: the public URL, else the address actually listened on.
  const publicUrl = () => {
    if (deps.config.publicUrl) return deps.config.publicUrl;
    const a = app.server.address();
    const port = a && typeof a === "object" ? a.port : (deps.config.port ?? 3000);
    return `http://${deps.config.host ?? "127.0.0.1"}:${port}`;
  };

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
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: true });

  app.get("/healthz", { schema: { hide: true } }, async () => {
    await deps.db.ping();
    return { status: "ok" };
  });
  sessionRoutes(app, {
    db: deps.db,
    clock,
    secureCookies: (req) => https || req.protocol === "https",
    oidc: deps.config.oidc !== undefined,
  });
  if (deps.config.oidc) oidcRoutes(app, { db: deps.db, clock, oidc: deps.config.oidc, publicUrl, https });
  teamRoutes(app, { db: deps.db, clock, publicUrl });
  await ingestRoutes(app, { db: deps.db, jobs: deps.jobs, onIngested: deps.onIngested });
  readRoutes(app, deps.db);
  scoringRoutes(app, deps.db, { scorecardFile: deps.scorecardFile, jobs: deps.jobs });
  await dashboardRoutes(app, deps.db, { jobs: deps.jobs });
  modelRoutes(app, deps.db);
  playRoutes(app, { db: deps.db, clock });
  playbookRoutes(app, { db: deps.db, clock, playbooksFile: deps.config.playbooksFile, jobs: deps.jobs });
  const notify = {
    db: deps.db,
    clock,
    jobs: deps.jobs,
    secrets: deps.secrets ?? missingKeyBox(),
    publicUrl,
    smtp: deps.config.smtp,
  };
  notifyRoutes(app, notify);
  webhookRoutes(app, notify);
  competitorRoutes(app, { db: deps.db, clock, jobs: deps.jobs });
  signalRoutes(app, { db: deps.db, clock });
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
