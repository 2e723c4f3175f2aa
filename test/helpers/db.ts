import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import {
  type Db,
  jobSchemaOf,
  migrate,
  openPglite,
  openPostgres,
  quoteIdent,
} from "../../src/store/index.js";

/**
 * A fresh, migrated store for one test: its own PGlite instance (cloned from a
 * migrated template) by default, or its own schema on the PostgreSQL server
 * named by TEST_DATABASE_URL. Close it with `db.close()` (drops the schema).
 */
export async function testDb(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const db = await openPostgres({ url, schema, max: 4 });
    await migrate(db);
    const close = db.close.bind(db);
    return Object.assign(db, {
      close: async () => {
        await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`).catch(() => undefined);
        await db.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(jobSchemaOf(db))} CASCADE`).catch(() => undefined);
        await close();
      },
    });
  }
  const file = inject("pgliteTemplate");
  const db = await openPglite({ loadDataDir: new Blob([readFileSync(file)]) });
  return db;
}

export const storeName = process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
