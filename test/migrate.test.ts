import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { jobSchemaOf, loadMigrations, migrate, openPostgres, quoteIdent } from "../src/store/index.js";

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)("migrations on PostgreSQL", () => {
  it("are safe when two processes start at once", async () => {
    const schema = `t_${randomBytes(6).toString("hex")}`;
    const a = await openPostgres({ url: url!, schema });
    const b = await openPostgres({ url: url!, schema });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = loadMigrations().map((m) => m.name);
      // One of them applied everything; the other waited for the lock and found nothing to do.
      expect([ra, rb].sort((x, y) => x.length - y.length)).toEqual([[], all]);
      const rows = await a.query("SELECT count(*)::int AS n FROM keepwell_migrations");
      expect(rows[0]?.n).toBe(all.length);
    } finally {
      await a.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
      await a.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(jobSchemaOf(a))} CASCADE`);
      await a.close();
      await b.close();
    }
  });
});
