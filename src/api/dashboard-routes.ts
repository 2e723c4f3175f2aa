import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, audit } from "../auth/index.js";
import {
  bandMovement,
  bandThresholds,
  checkScorecard,
  contactEngagement,
  groupDistributions,
  KEY_METRICS,
  metricSeparation,
  metricTrends,
  rescoreWithEffect,
  scoreHistogram,
  sparklines,
  timeline,
} from "../insights/index.js";
import { afterScoring, type JobQueue } from "../jobs/index.js";
import { type Db, NO_GROUP } from "../store/index.js";
import { principal } from "./guard.js";
import { asOfDate, queryInt } from "./params.js";

/** Where `npm run build:web` puts the dashboard (the same from src/api and dist/api). */
export const WEB_DIST = fileURLToPath(new URL("../../web/dist/", import.meta.url));

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Keepwell</title><link rel="icon" href="data:,"></head>
<body>
<h1>Keepwell</h1>
<p>The dashboard has not been built yet. Run <code>npm run build:web</code> and reload this page.</p>
<p>The API is up: see <a href="/docs">/docs</a>.</p>
</body></html>`;

const bandCounts = z.object({
  healthy: z.number(),
  watch: z.number(),
  at_risk: z.number(),
  critical: z.number(),
});
const list = (max: number) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().min(1)).max(max));
const groupStats = z.object({
  accounts: z.number(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
});
const mover = z.object({
  account: z.string(),
  name: z.string().nullable(),
  before: z.number().nullable(),
  after: z.number().nullable(),
  band_before: z.string().nullable(),
  band_after: z.string().nullable(),
  change: z.number(),
});
const accountParams = z.object({ id: z.string() });

/** Read queries made for the dashboard, under /api/v1/insights. */
function insightRoutes(app: FastifyInstance, db: Db, jobs: JobQueue | undefined): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ["insights"];

  r.get(
    "/api/v1/insights/sparklines",
    {
      schema: {
        tags,
        summary: "Monthly scores of a page of accounts, aligned on one axis (for sparklines)",
        querystring: z.object({
          accounts: list(1000).describe("account ids separated by commas (up to 1000)"),
          months: queryInt(2, 36).default(12),
        }),
        response: {
          200: z.object({
            months: z.array(z.string()),
            data: z.array(z.object({ account: z.string(), scores: z.array(z.number().nullable()) })),
          }),
        },
      },
    },
    async (req) => sparklines(db, req.query.accounts, req.query.months),
  );

  r.get(
    "/api/v1/insights/score-histogram",
    {
      schema: {
        tags,
        summary: "How current scores of active accounts spread, in buckets split by band",
        querystring: z.object({
          bucket: queryInt(1, 50).default(5),
          segment: z.string().optional().describe(`a segment; "${NO_GROUP}" for accounts with none`),
          owner: z.string().optional().describe(`an owner; "${NO_GROUP}" for accounts with none`),
        }),
        response: {
          200: z.object({
            bucket_size: z.number(),
            buckets: z.array(
              z.object({ from: z.number(), to: z.number(), accounts: z.number(), bands: bandCounts }),
            ),
            unscored: z.number(),
            thresholds: z.object({ healthy: z.number(), watch: z.number() }),
          }),
        },
      },
    },
    async (req) => ({
      ...(await scoreHistogram(db, req.query.bucket, { segment: req.query.segment, owner: req.query.owner })),
      thresholds: await bandThresholds(db),
    }),
  );

  r.get(
    "/api/v1/insights/distributions",
    {
      schema: {
        tags,
        summary: "Score quantiles and band counts per segment or per owner (active accounts)",
        querystring: z.object({ by: z.enum(["segment", "owner"]).default("segment") }),
        response: {
          200: z.object({
            by: z.enum(["segment", "owner"]),
            thresholds: z.object({ healthy: z.number(), watch: z.number() }),
            groups: z.array(
              z.object({
                group: z.string(),
                accounts: z.number(),
                arr: z.number(),
                average_score: z.number().nullable(),
                p10: z.number().nullable(),
                p25: z.number().nullable(),
                median: z.number().nullable(),
                p75: z.number().nullable(),
                p90: z.number().nullable(),
                min: z.number().nullable(),
                max: z.number().nullable(),
                bands: bandCounts,
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({
      by: req.query.by,
      thresholds: await bandThresholds(db),
      groups: await groupDistributions(db, req.query.by),
    }),
  );

  r.get(
    "/api/v1/insights/separation",
    {
      schema: {
        tags,
        summary: "The metrics that differ most between healthy accounts and those at risk or critical",
        description:
          "From the metrics of the current scores of active accounts. `auc` is the chance that a healthy account has a higher value than an at-risk one; `separation` = |auc − 0.5| × 2.",
        response: {
          200: z.object({
            metrics: z.array(
              z.object({
                metric: z.string(),
                label: z.string(),
                healthy: groupStats,
                at_risk: groupStats,
                auc: z.number(),
                separation: z.number(),
                effect_size: z.number().nullable(),
                direction: z.enum(["higher_in_healthy", "lower_in_healthy", "no_difference"]),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ metrics: await metricSeparation(db) }),
  );

  r.get(
    "/api/v1/insights/movement",
    {
      schema: {
        tags,
        summary: "Band movement month over month, from the monthly score history",
        querystring: z.object({ months: queryInt(1, 36).default(12) }),
        response: {
          200: z.object({
            months: z.array(z.string()),
            transitions: z.array(
              z.object({
                from_month: z.string(),
                to_month: z.string(),
                from: z.string(),
                to: z.string(),
                accounts: z.number(),
                arr: z.number(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => bandMovement(db, req.query.months),
  );

  r.get(
    "/api/v1/insights/accounts/:id/trends",
    {
      schema: {
        tags,
        summary: "Monthly values of key metrics for one account, then the current values",
        params: accountParams,
        querystring: z.object({
          metrics: list(30)
            .optional()
            .describe(`metric names separated by commas (default ${KEY_METRICS.join(", ")})`),
          months: queryInt(1, 36).default(24),
        }),
        response: {
          200: z.object({
            account: z.string(),
            dates: z.array(z.string()),
            series: z.array(
              z.object({ metric: z.string(), label: z.string(), values: z.array(z.number().nullable()) }),
            ),
          }),
        },
      },
    },
    async (req) => metricTrends(db, req.params.id, req.query.metrics ?? KEY_METRICS, req.query.months),
  );

  r.get(
    "/api/v1/insights/accounts/:id/timeline",
    {
      schema: {
        tags,
        summary:
          "An account's recent tickets (with their tone), meetings, invoices, notes and surveys, newest first",
        params: accountParams,
        querystring: z.object({ limit: queryInt(1, 200).default(40) }),
        response: {
          200: z.object({
            data: z.array(
              z.object({
                kind: z.enum(["ticket", "meeting", "invoice", "note", "survey"]),
                id: z.string(),
                ts: z.string(),
                title: z.string(),
                detail: z.record(z.string(), z.unknown()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ data: await timeline(db, req.params.id, req.query.limit) }),
  );

  r.get(
    "/api/v1/insights/accounts/:id/contacts",
    {
      schema: {
        tags,
        summary: "An account's contacts with their roles and when each last engaged",
        params: accountParams,
        response: {
          200: z.object({
            data: z.array(
              z.object({
                id: z.string(),
                name: z.string().nullable(),
                email: z.string().nullable(),
                title: z.string().nullable(),
                role: z.string().nullable(),
                active: z.boolean(),
                last_engagement_at: z.string().nullable(),
                last_engagement: z.string().nullable(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ data: await contactEngagement(db, req.params.id) }),
  );

  r.post(
    "/api/v1/insights/scorecard-check",
    {
      schema: {
        tags,
        summary: "Validate a scorecard without saving it (200 with the errors at their fields)",
        body: z.record(z.string(), z.unknown()),
        response: {
          200: z.object({
            valid: z.boolean(),
            errors: z.array(z.object({ field: z.string(), message: z.string() })),
          }),
        },
      },
    },
    async (req) => checkScorecard(db, req.body),
  );

  r.post(
    "/api/v1/insights/rescore",
    {
      schema: {
        tags,
        summary: "Rescore every account with the active scorecard and show what changed",
        description:
          "Scores as of the current scores' date unless `as_of` is given, so the change seen is the scorecard's.",
        body: z.object({ as_of: asOfDate.optional() }).nullish(),
        response: {
          200: z.object({
            run: z.object({
              as_of: z.string(),
              scorecard_version: z.number(),
              accounts: z.number(),
              bands: z.record(z.string(), z.object({ accounts: z.number(), arr: z.number() })),
              average_score: z.number().nullable(),
              seconds: z.number(),
            }),
            previous_versions: z.array(z.number()),
            changed: z.number(),
            average_change: z.number().nullable(),
            moves: z.array(z.object({ from: z.string(), to: z.string(), accounts: z.number() })),
            up: z.array(mover),
            down: z.array(mover),
          }),
        },
      },
    },
    async (req) => {
      const asOf = req.body?.as_of ? new Date(req.body.as_of).toISOString() : undefined;
      const effect = await rescoreWithEffect(db, { asOf, after: (run) => afterScoring({ db, jobs }, run) });
      await audit(db, actorOf(principal(req), req.ip), "scoring.run", {
        subjectType: "scoring_run",
        after: {
          as_of: effect.run.as_of,
          accounts: effect.run.accounts,
          scorecard_version: effect.run.scorecard_version,
          changed: effect.changed,
        },
      });
      return effect;
    },
  );
}

/**
 * The dashboard: its single-page app from web/dist at `/` (every client route
 * answers index.html; files under /assets are immutable), a page saying how to
 * build it when web/dist is missing, and the API and /docs untouched.
 */
async function webApp(app: FastifyInstance, webDir: string): Promise<void> {
  await app.register(fastifyStatic, { root: webDir, serve: false, suppressWarning: true });
  const index = join(webDir, "index.html");
  app.get("/*", { schema: { hide: true } }, (req, reply) => {
    const path = (req.params as { "*": string })["*"];
    if (/^(api|docs)(\/|$)/.test(path)) return reply.callNotFound();
    // Nothing outside web/dist: a path that climbs out (or hides a NUL) names no file.
    if (path.split(/[\\/]/).includes("..") || path.includes("\u0000")) return reply.callNotFound();
    if (!existsSync(index)) {
      if (path !== "" && /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
      return reply.type("text/html; charset=utf-8").header("cache-control", "no-store").send(NOT_BUILT);
    }
    if (path.startsWith("assets/")) return reply.sendFile(path, { maxAge: "1y", immutable: true });
    if (/\.[a-z0-9]+$/i.test(path)) return reply.sendFile(path, { maxAge: 0 });
    return reply
      .header("cache-control", "no-cache")
      .sendFile("index.html", { maxAge: 0, cacheControl: false });
  });
}

export interface DashboardOptions {
  /** The built dashboard (web/dist by default). */
  webDir?: string;
  /** Where a rescore queues what follows it. */
  jobs?: JobQueue;
}

/** The insights API and the dashboard itself. */
export async function dashboardRoutes(
  app: FastifyInstance,
  db: Db,
  opts: DashboardOptions = {},
): Promise<void> {
  insightRoutes(app, db, opts.jobs);
  await webApp(app, opts.webDir ?? WEB_DIST);
}
