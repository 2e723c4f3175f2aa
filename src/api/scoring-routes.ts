import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf, audit } from "../auth/index.js";
import { afterScoring, type JobQueue } from "../jobs/index.js";
import {
  type ActiveScorecard,
  activeScorecard,
  currentScore,
  portfolio,
  runScoring,
  saveScorecard,
  scorecardVersions,
  scoreHistory,
  summaryOf,
  validateScorecard,
  writeScorecardFile,
} from "../scoring/index.js";
import type { Db } from "../store/index.js";
import { principal } from "./guard.js";
import { asOfDate } from "./params.js";

const anyObject = z.record(z.string(), z.unknown());

export interface ScoringRouteOptions {
  /** Where playbook evaluation is queued after a run. */
  jobs?: JobQueue;
  /** Where an accepted scorecard is also written, so file and store agree. */
  scorecardFile?: string;
  clock?: () => Date;
}

export function scoringRoutes(app: FastifyInstance, db: Db, opts: ScoringRouteOptions = {}): void {
  app.addContentTypeParser(
    ["application/yaml", "application/x-yaml", "text/yaml"],
    { parseAs: "string" },
    (_r, body, done) => done(null, body),
  );
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    "/api/v1/scorecard",
    { schema: { tags: ["scoring"], summary: "The active scorecard and its version history" } },
    async (): Promise<ActiveScorecard> => {
      const active = await activeScorecard(db);
      return { ...active, versions: await scorecardVersions(db) };
    },
  );

  r.put(
    "/api/v1/scorecard",
    {
      schema: {
        tags: ["scoring"],
        summary:
          "Replace the scorecard (JSON, or YAML with Content-Type application/yaml); every change is a new version",
        body: anyObject,
      },
      validatorCompiler: () => (data) => ({ value: data }),
    },
    async (req) => {
      const scorecard = await validateScorecard(db, req.body);
      const saved = await db.transaction(async (tx) => {
        const before = await activeScorecard(tx);
        const after = await saveScorecard(tx, scorecard, "api");
        if (after.version !== before.version)
          await audit(tx, actorOf(principal(req), req.ip), "scorecard.changed", {
            subjectType: "scorecard",
            subjectId: String(after.version),
            before: { version: before.version, scorecard: before.scorecard },
            after: { version: after.version, scorecard: after.scorecard },
          });
        return after;
      });
      if (opts.scorecardFile) writeScorecardFile(opts.scorecardFile, saved.scorecard);
      return saved;
    },
  );

  r.post(
    "/api/v1/scoring/runs",
    {
      schema: {
        tags: ["scoring"],
        summary: "Score every account now (or as of a date) with the active scorecard",
        body: z.object({ as_of: asOfDate.optional() }).nullish(),
      },
    },
    async (req) => {
      const asOf = req.body?.as_of
        ? new Date(req.body.as_of).toISOString()
        : (opts.clock?.() ?? new Date()).toISOString();
      const run = await runScoring(db, { asOf, scorecard: await activeScorecard(db), target: "current" });
      await afterScoring({ db, jobs: opts.jobs }, run);
      const summary = summaryOf(run);
      await audit(db, actorOf(principal(req), req.ip), "scoring.run", {
        subjectType: "scoring_run",
        after: {
          as_of: summary.as_of,
          accounts: summary.accounts,
          scorecard_version: summary.scorecard_version,
        },
      });
      return summary;
    },
  );

  r.get(
    "/api/v1/accounts/:id/score",
    {
      schema: {
        tags: ["scoring"],
        summary: "An account's current score with its explanation",
        params: z.object({ id: z.string() }),
      },
    },
    async (req) => currentScore(db, req.params.id),
  );

  r.get(
    "/api/v1/accounts/:id/scores",
    {
      schema: {
        tags: ["scoring"],
        summary: "An account's monthly score history",
        params: z.object({ id: z.string() }),
      },
    },
    async (req) => ({ account: req.params.id, history: await scoreHistory(db, req.params.id) }),
  );

  r.get(
    "/api/v1/portfolio",
    {
      schema: {
        tags: ["scoring"],
        summary: "Accounts and ARR per band, band movement, averages per segment and owner",
      },
    },
    async () => portfolio(db),
  );
}
