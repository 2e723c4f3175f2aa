import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../errors.js";
import {
  type AccountPrediction,
  type ChurnDriver,
  churnForecast,
  latestModel,
  latestModelHead,
  latestReport,
  modelHistory,
  modelVersions,
} from "../predict/index.js";
import type { Db } from "../store/index.js";

/** The churn model: its latest backtest report, its versions, and each account's prediction. */
export function modelRoutes(app: FastifyInstance, db: Db): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const noModel = () => new AppError("not_found", "no churn model has been trained yet: run keepwell train");

  r.get(
    "/api/v1/model/report",
    {
      schema: {
        tags: ["prediction"],
        summary:
          "The latest churn model's backtest: model and scorecard side by side (AUC, PR AUC, lift, Brier, calibration, flag precision and recall, lead time)",
      },
    },
    async () => {
      const latest = await latestReport(db);
      if (!latest?.report) throw noModel();
      return { model_version: latest.version, created_at: latest.created_at, ...latest.report };
    },
  );

  r.get(
    "/api/v1/models",
    {
      schema: {
        tags: ["prediction"],
        summary:
          "Every trained churn model, newest first (the first is in use), with its backtest's headline figures beside the scorecard's; an empty list before the first training",
      },
    },
    async () => ({ data: await modelHistory(db) }),
  );

  r.get(
    "/api/v1/model/forecast",
    {
      schema: {
        tags: ["prediction"],
        summary:
          "The churn to expect within the model's horizon from the current predictions: accounts (the sum of their probabilities) and ARR (probability × ARR), each with its 80% range, flagged accounts and their ARR, for the portfolio and per segment",
      },
    },
    async () => {
      const forecast = await churnForecast(db);
      if (!forecast) throw noModel();
      return forecast;
    },
  );

  r.get(
    "/api/v1/model",
    {
      schema: {
        tags: ["prediction"],
        summary:
          "The churn model in use (kind, horizon, features, calibration, flag threshold) and its versions",
      },
    },
    async () => {
      const stored = await latestModel(db);
      if (!stored) throw noModel();
      const m = stored.model;
      return {
        version: stored.version,
        created_at: stored.created_at,
        kind: m.kind,
        horizon_days: m.horizon_days,
        seed: m.seed,
        features: m.feature_names,
        training: m.training,
        calibration: m.calibration.method,
        flag: m.flag,
        backtest: {
          method: m.backtest.method,
          chosen: m.backtest.chosen,
          candidates: m.backtest.candidates.map((c) => ({ kind: c.kind, auc: c.auc })),
        },
        versions: await modelVersions(db),
      };
    },
  );

  r.get(
    "/api/v1/accounts/:id/prediction",
    {
      schema: {
        tags: ["prediction"],
        summary: "An account's churn probability within the model's horizon and the features driving it",
        params: z.object({ id: z.string() }),
      },
    },
    async (req): Promise<AccountPrediction> => {
      const id = req.params.id;
      const [account] = await db.query("SELECT id FROM accounts WHERE id = $1", [id]);
      if (!account) throw new AppError("not_found", `no account with id "${id}"`);
      const [row] = await db.query<{
        as_of: string;
        churn_probability: number | null;
        churn_drivers: ChurnDriver[] | null;
      }>("SELECT as_of, churn_probability, churn_drivers FROM current_scores WHERE account = $1", [id]);
      const model = await latestModelHead(db);
      if (!model) throw noModel();
      if (!row || row.churn_probability === null)
        throw new AppError(
          "not_found",
          `account "${id}" has no churn prediction yet: run keepwell score, then keepwell predict`,
        );
      const p = Number(row.churn_probability);
      return {
        account: id,
        as_of: new Date(row.as_of).toISOString(),
        model_version: model.version,
        horizon_days: model.horizon_days,
        churn_probability: p,
        flagged: model.flag_threshold !== null && p >= model.flag_threshold,
        drivers: row.churn_drivers ?? [],
      };
    },
  );
}
