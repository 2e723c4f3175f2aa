import { createRequire } from "node:module";
import PgBoss from "pg-boss";
import type { Db } from "./port.js";

const require = createRequire(import.meta.url);
/** The pg-boss schema version this build of pg-boss expects. */
const BOSS_SCHEMA_VERSION: number = require("pg-boss/version.json").schema;

/** The schema the job queue keeps its tables in: beside Keepwell's own. */
export function jobSchemaOf(db: Pick<Db, "schema">): string {
  return `${db.schema ?? "keepwell"}_jobs`;
}

/**
 * A lost race with another process creating or migrating the same schema:
 * pg-boss's own signals, and the catalog's unique violation when both create
 * the schema at once.
 */
function lostRace(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e.code === "23505" || /already exists|division by zero/.test(e.message ?? "");
}

/**
 * Installs or upgrades the job queue's tables (pg-boss's own plans, which
 * carry their own transaction and advisory lock, so this runs outside the
 * migrations' transaction). Safe when two processes start at once.
 */
export async function installJobSchema(db: Db, attempts = 5): Promise<void> {
  try {
    await installOnce(db);
  } catch (err) {
    if (!lostRace(err) || attempts <= 1) throw err;
    // The other process is finishing it: look again once it has.
    await new Promise((r) => setTimeout(r, 100));
    await installJobSchema(db, attempts - 1);
  }
}

async function installOnce(db: Db): Promise<void> {
  const schema = jobSchemaOf(db);
  const [table] = await db.query<{ name: string | null }>("SELECT to_regclass($1)::text AS name", [
    `${schema}.version`,
  ]);
  if (!table?.name) {
    await db.exec(PgBoss.getConstructionPlans(schema));
    return;
  }
  const [row] = await db.exec(`SELECT version FROM ${schema}.version`);
  const version = Number(row?.version);
  if (version < BOSS_SCHEMA_VERSION) await db.exec(PgBoss.getMigrationPlans(schema, String(version)));
}
