import { migrate } from "./migrate.js";
import { openPglite } from "./pglite.js";
import type { Db } from "./port.js";
import { openPostgres } from "./postgres.js";

export interface StoreConfig {
  /** PostgreSQL when set. */
  databaseUrl?: string;
  /** …and this schema in it. */
  databaseSchema?: string;
  /** PGlite's data folder otherwise. */
  dataDir: string;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(config: StoreConfig, opts: { migrate?: boolean } = {}): Promise<Db> {
  const db = config.databaseUrl
    ? await openPostgres({ url: config.databaseUrl, schema: config.databaseSchema })
    : await openPglite({ dataDir: config.dataDir });
  if (opts.migrate !== false) {
    try {
      await migrate(db);
    } catch (err) {
      await db.close();
      throw err;
    }
  }
  return db;
}
