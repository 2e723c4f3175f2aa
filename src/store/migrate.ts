import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { installJobSchema } from "./job-schema.js";
import type { Db } from "./port.js";

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
/** Any fixed number: the advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK = 7_310_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ""),
      sql: readFileSync(`${dir}${file}`, "utf8"),
    }));
}

/**
 * Applies the migrations not yet recorded, in order, each in the same
 * transaction as its record, then installs or upgrades the job queue's
 * tables. Safe to run twice, and safe when two processes start at once: the
 * second waits on the lock, then finds nothing to do.
 */
export async function migrate(db: Db, migrations = loadMigrations()): Promise<string[]> {
  const applied = await applyMigrations(db, migrations);
  await installJobSchema(db);
  return applied;
}

async function applyMigrations(db: Db, migrations: Migration[]): Promise<string[]> {
  return db.withLock(MIGRATION_LOCK, async (tx) => {
    await tx.exec(`CREATE TABLE IF NOT EXISTS keepwell_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const done = new Set(
      (await tx.query<{ version: number }>("SELECT version FROM keepwell_migrations")).map((r) => r.version),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO keepwell_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      applied.push(m.name);
    }
    return applied;
  });
}
