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
