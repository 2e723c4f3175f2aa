import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { StoreSink, simulate } from "../src/simulate/index.js";
import { type Db, migrate, openPglite, openPostgres } from "../src/store/index.js";

const OUT = fileURLToPath(new URL("./out/", import.meta.url));
export const BENCH_END = "2026-11-01";

/** A store holding the simulated bench company, built once and kept (bench/out for PGlite, its own schema on PostgreSQL). */
export async function companyStore(kind: string, accounts: number): Promise<Db> {
  const name = `company_${accounts}`;
  let db: Db;
  if (kind === "postgres") {
    const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    db = await openPostgres({ url, schema: `bench_${name}` });
  } else {
    mkdirSync(OUT, { recursive: true });
    db = await openPglite({ dataDir: `${OUT}pglite-${name}` });
  }
  await migrate(db);
  const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts");
  if ((row?.n ?? 0) < accounts) {
    const t0 = performance.now();
    console.log(`# building the ${accounts}-account company in ${db.label} (once; kept for later runs)`);
    const sink = new StoreSink(db);
    await simulate({ accounts, months: 24, seed: "bench", end: BENCH_END }, sink);
    await sink.close();
    const records = Object.values(sink.written).reduce((a, b) => a + b, 0);
    console.log(`#   ${records} records in ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  return db;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const db = await companyStore(process.argv[2] ?? "pglite", Number(process.argv[3] ?? 10000));
  await db.close();
}
