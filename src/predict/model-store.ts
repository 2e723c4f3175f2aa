import type { Queryable } from "../store/index.js";
import type { TrainedModel } from "./model.js";

/** Trained models, versioned in the `models` table (the newest is the one in use). */

export interface StoredModel<R = unknown> {
  version: number;
  created_at: string;
  horizon_days: number;
  kind: string;
  model: TrainedModel;
  report: R | null;
}

/** Stores a trained model and its report as a new version; returns the version. */
export async function saveModel(db: Queryable, model: TrainedModel, report: unknown): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    `INSERT INTO models (horizon_days, kind, model, report) VALUES ($1, $2, $3::jsonb, $4::jsonb)
     RETURNING version`,
    [model.horizon_days, model.kind, JSON.stringify(model), report === null ? null : JSON.stringify(report)],
  );
  if (!row) throw new Error("could not store the model");
  return row.version;
}

const COLUMNS = "version, created_at, horizon_days, kind";

/** The newest stored model (or the given version); undefined when none was trained. */
export async function latestModel<R = unknown>(
  db: Queryable,
  version?: number,
): Promise<StoredModel<R> | undefined> {
  const [row] = await db.query<StoredModel<R> & Record<string, unknown>>(
    `SELECT ${COLUMNS}, model, report FROM models
     WHERE $1::int IS NULL OR version = $1::int ORDER BY version DESC LIMIT 1`,
    [version ?? null],
  );
  return row ? { ...row, created_at: new Date(row.created_at).toISOString() } : undefined;
}

/** The newest stored model's version, horizon and flag threshold, without the model itself. */
export async function latestModelHead(db: Queryable): Promise<
  | {
      version: number;
      horizon_days: number;
      flag_threshold: number | null;
      /** The backtest's spread factors of the forecast (forecast-backtest.ts); null when not measured. */
      forecast_spread: { accounts: number | null; arr: number | null };
    }
  | undefined
> {
  const [row] = await db.query<{
    version: number;
    horizon_days: number;
    flag_threshold: number | null;
    accounts_spread: number | null;
    arr_spread: number | null;
  }>(
    `SELECT version, horizon_days, (model->'flag'->>'threshold')::float8 AS flag_threshold,
            (report #>> '{model,forecast,spread,accounts,factor}')::float8 AS accounts_spread,
            (report #>> '{model,forecast,spread,arr,factor}')::float8 AS arr_spread
     FROM models ORDER BY version DESC LIMIT 1`,
  );
  const num = (x: number | null) => (x === null ? null : Number(x));
  return row
    ? {
        version: Number(row.version),
        horizon_days: Number(row.horizon_days),
        flag_threshold: num(row.flag_threshold),
        forecast_spread: { accounts: num(row.accounts_spread), arr: num(row.arr_spread) },
      }
    : undefined;
}

/** The newest stored report, without the model. */
export async function latestReport<R = unknown>(
  db: Queryable,
): Promise<{ version: number; created_at: string; report: R | null } | undefined> {
  const [row] = await db.query<{ version: number; created_at: string; report: R | null }>(
    "SELECT version, created_at, report FROM models ORDER BY version DESC LIMIT 1",
  );
  return row ? { ...row, created_at: new Date(row.created_at).toISOString() } : undefined;
}

/** Every stored version, newest first, without the models. */
export async function modelVersions(db: Queryable): Promise<Omit<StoredModel, "model" | "report">[]> {
  const rows = await db.query<Omit<StoredModel, "model" | "report"> & Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM models ORDER BY version DESC`,
  );
  return rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() }));
}

/** One stored version with the headline figures of its backtest (null where the report lacks them). */
export interface ModelVersionSummary {
  version: number;
  created_at: string;
  horizon_days: number;
  kind: string;
  flag_min_precision: number | null;
  model: { auc: number | null; lead_60_share: number | null; precision: number | null };
  scorecard: { auc: number | null; lead_60_share: number | null; precision: number | null };
}

/** Every stored version, newest first, with its backtest's headline figures (read out in SQL, not the models). */
export async function modelHistory(db: Queryable): Promise<ModelVersionSummary[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${COLUMNS},
       (report->'model'->>'flag_min_precision')::float8 AS flag_min_precision,
       (report->'model'->>'auc')::float8 AS model_auc,
       (report->'model'->>'lead_60_share')::float8 AS model_lead_60_share,
       (report->'model'->>'precision')::float8 AS model_precision,
       (report->'scorecard'->>'auc')::float8 AS scorecard_auc,
       (report->'scorecard'->>'lead_60_share')::float8 AS scorecard_lead_60_share,
       (report->'scorecard'->>'precision')::float8 AS scorecard_precision
     FROM models ORDER BY version DESC`,
  );
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    version: Number(r.version),
    created_at: new Date(r.created_at as string).toISOString(),
    horizon_days: Number(r.horizon_days),
    kind: String(r.kind),
    flag_min_precision: num(r.flag_min_precision),
    model: {
      auc: num(r.model_auc),
      lead_60_share: num(r.model_lead_60_share),
      precision: num(r.model_precision),
    },
    scorecard: {
      auc: num(r.scorecard_auc),
      lead_60_share: num(r.scorecard_lead_60_share),
      precision: num(r.scorecard_precision),
    },
  }));
}
