import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Db, jobSchemaOf, migrate, openPglite, openPostgres, quoteIdent } from "../src/store/index.js";

export type BenchStore = "pglite" | "postgres";

/** A fresh, migrated store: PGlite in a temp folder, or a new schema on DATABASE_URL / the local server. */
export async function benchStore(kind: BenchStore): Promise<{ db: Db; cleanup: () => Promise<void> }> {
  if (kind === "postgres") {
    const url =
      process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const schema = `bench_${randomBytes(4).toString("hex")}`;
    const db = await openPostgres({ url, schema });
    await migrate(db);
    return {
      db,
      cleanup: async () => {
        await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
        await db.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(jobSchemaOf(db))} CASCADE`);
        await db.close();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "keepwell-bench-"));
  const db = await openPglite({ dataDir: dir });
  await migrate(db);
  return {
    db,
    cleanup: async () => {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function argValue(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}
