import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { stringify } from "yaml";
import {
  DEFAULT_SCORECARD,
  METRIC_NAMES,
  parseScorecard,
  parseScorecardYaml,
  type Scorecard,
  type ScorecardError,
} from "../domain/index.js";
import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";

export interface ScorecardVersion {
  version: number;
  scorecard: Scorecard;
  source: string;
  created_at: string;
}

/** A version without its scorecard: what the version history lists. */
export type ScorecardVersionSummary = Omit<ScorecardVersion, "scorecard">;

/** The active version with every version's summary, newest first (GET /api/v1/scorecard). */
export interface ActiveScorecard extends ScorecardVersion {
  versions: ScorecardVersionSummary[];
}

/** Metric names a scorecard may use: the catalogue's, plus every name imported as a `metrics` row. */
export async function knownMetricNames(db: Queryable): Promise<Set<string>> {
  const rows = await db.query<{ name: string }>("SELECT DISTINCT name FROM metrics");
  return new Set([...METRIC_NAMES, ...rows.map((r) => r.name)]);
}

function rejected(errors: ScorecardError[]): AppError {
  return new AppError("validation_failed", `the scorecard is not valid: ${errors.length} problem(s)`, {
    details: errors.map((e) => ({ field: e.path, message: e.message, ...(e.line ? { line: e.line } : {}) })),
  });
}

/** Validates a scorecard given as an object or YAML text; throws a 400 naming each path. */
export async function validateScorecard(db: Queryable, input: unknown): Promise<Scorecard> {
  const knownMetrics = await knownMetricNames(db);
  const r =
    typeof input === "string"
      ? parseScorecardYaml(input, { knownMetrics })
      : parseScorecard(input, { knownMetrics });
  if (!r.ok) throw rejected(r.errors);
  return r.scorecard;
}

/** The active (newest) version, creating version 1 from the default scorecard on first use. */
export async function activeScorecard(db: Queryable): Promise<ScorecardVersion> {
  const [row] = await db.query<{
    version: number;
    definition: Scorecard;
    source: string;
    created_at: string;
  }>("SELECT version, definition, source, created_at FROM scorecard_versions ORDER BY version DESC LIMIT 1");
  if (row)
    return {
      version: row.version,
      scorecard: row.definition,
      source: row.source,
      created_at: row.created_at,
    };
  return saveScorecard(db, DEFAULT_SCORECARD, "default");
}

/** Makes `scorecard` the active version, unless it equals the active one. */
export async function saveScorecard(
  db: Queryable,
  scorecard: Scorecard,
  source: string,
): Promise<ScorecardVersion> {
  const [row] = await db.query<{
    version: number;
    definition: Scorecard;
    source: string;
    created_at: string;
  }>(
    `WITH latest AS (SELECT version, definition FROM scorecard_versions ORDER BY version DESC LIMIT 1),
     ins AS (
       INSERT INTO scorecard_versions (version, definition, source)
       SELECT coalesce((SELECT max(version) FROM scorecard_versions), 0) + 1, $1::jsonb, $2
       WHERE NOT EXISTS (SELECT 1 FROM latest WHERE definition = $1::jsonb)
       RETURNING version, definition, source, created_at
     )
     SELECT * FROM ins
     UNION ALL SELECT v.version, v.definition, v.source, v.created_at FROM scorecard_versions v
       WHERE NOT EXISTS (SELECT 1 FROM ins) AND v.version = (SELECT version FROM latest)`,
    [JSON.stringify(scorecard), source],
  );
  if (!row) throw new Error("could not save the scorecard");
  return { version: row.version, scorecard: row.definition, source: row.source, created_at: row.created_at };
}

export async function scorecardVersions(db: Queryable): Promise<ScorecardVersionSummary[]> {
  return db.query<ScorecardVersionSummary>(
    "SELECT version, source, created_at FROM scorecard_versions ORDER BY version DESC",
  );
}

/**
 * The scorecard file (keepwell.scorecard.yaml beside the data, or --scorecard):
 * when it exists and differs from the active version it becomes the new
 * version; a bad file is an error that names each path.
 */
export async function syncScorecardFile(db: Queryable, file: string | undefined): Promise<ScorecardVersion> {
  if (!file || !existsSync(file)) return activeScorecard(db);
  const scorecard = await validateScorecard(db, readFileSync(file, "utf8")).catch((err: unknown) => {
    if (err instanceof AppError)
      throw new AppError(err.code, `${file}: ${err.message}`, { details: err.details });
    throw err;
  });
  await activeScorecard(db);
  return saveScorecard(db, scorecard, "file");
}

/** Writes a scorecard as YAML (what the API does after a change, so the file and the store agree). */
export function writeScorecardFile(file: string, scorecard: Scorecard): void {
  writeFileSync(
    file,
    `# Keepwell scorecard: edit, then run \`keepwell score\` (or PUT /api/v1/scorecard).\n${stringify(scorecard)}`,
  );
}
