import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type Transaction, types } from "@electric-sql/pglite";
import { copyChunks, isUniqueViolation } from "./copy-text.js";
import type { BulkRows, Db, Queryable, Row } from "./port.js";
import { quoteIdent, rowCount } from "./port.js";

/** Values come back as plain JSON-friendly types; postgres.ts does the same on pg. */
const parsers = {
  [types.NUMERIC]: (v: string) => Number(v),
  [types.INT8]: (v: string) => Number(v),
  [types.DATE]: (v: string) => v,
  [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(),
  [types.TIMESTAMP]: (v: string) => new Date(`${v}Z`).toISOString(),
};

let stageCounter = 0;
let savepointCounter = 0;

function blobOf(rows: BulkRows): Blob {
  return new Blob([...copyChunks(rows)]);
}

class PgliteQueryable implements Queryable {
  constructor(protected readonly conn: PGlite | Transaction) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const res = await this.conn.query<R>(sql, params as unknown[]);
    return res.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.conn.exec(sql);
  }

  async withRows<R extends Row = Row>(
    columns: readonly string[],
    rows: BulkRows,
    use: (source: string) => string,
  ): Promise<R[]> {
    // COPY from a blob into a temporary table is several times faster than
    // passing the rows as array parameters.
    const table = `kw_stage_${++stageCounter}`;
    const cols = columns.map(quoteIdent);
    await this.conn.exec(`CREATE TEMP TABLE ${table} (${cols.map((c) => `${c} text`).join(", ")})`);
    try {
      await this.conn.query(`COPY ${table} (${cols.join(", ")}) FROM '/dev/blob'`, [], {
        blob: blobOf(rows),
      });
      return (await this.conn.query<R>(use(`${table} AS src`))).rows;
    } finally {
      await this.conn.exec(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  async appendRows(table: string, columns: readonly string[], rows: BulkRows): Promise<number | "conflict"> {
    const sp = `kw_append_${++savepointCounter}`;
    await this.conn.exec(`SAVEPOINT ${sp}`);
    try {
      await this.conn.query(
        `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM '/dev/blob'`,
        [],
        {
          blob: blobOf(rows),
        },
      );
      await this.conn.exec(`RELEASE SAVEPOINT ${sp}`);
      return rowCount(rows);
    } catch (err) {
      await this.conn.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
      if (isUniqueViolation(err)) return "conflict";
      throw err;
    }
  }
}

class PgliteDb extends PgliteQueryable implements Db {
  constructor(
    readonly pg: PGlite,
    readonly label: string,
    private readonly unlock: () => void = () => {},
  ) {
    super(pg);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(new PgliteQueryable(tx)));
  }

  // PGlite is one connection in one process: a transaction already serialises.
  withLock<T>(_key: number, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  async close(): Promise<void> {
    try {
      await this.pg.close();
    } finally {
      this.unlock();
    }
  }
}

export interface PgliteOptions {
  /** A folder to keep the data in; in memory when absent. */
  dataDir?: string;
  /** A saved copy (from dumpPglite) to start from: much faster than a cold start. */
  loadDataDir?: Blob | File;
  /** Create and use this schema. */
  schema?: string;
}

const LOCK_FILE = "keepwell.lock";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite is one process's database: a second process opening the same folder
 * would corrupt it. A lock file with the owner's pid keeps a second one out
 * (a stale lock from a process that is gone is taken over).
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = Number(readFileSync(file, "utf8"));
      if (owner && owner !== process.pid && processAlive(owner)) {
        throw new Error(
          `the data folder ${dir} is in use by another Keepwell process (pid ${owner}); stop it first, or use PostgreSQL (DATABASE_URL) for several processes`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the data folder ${dir}`);
}

export async function openPglite(opts: PgliteOptions = {}): Promise<Db> {
  let unlock = () => {};
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    unlock = lockDataDir(opts.dataDir);
  }
  let pg: PGlite;
  try {
    pg = await PGlite.create({ dataDir: opts.dataDir, loadDataDir: opts.loadDataDir, parsers });
  } catch (err) {
    unlock();
    throw err;
  }
  await pg.exec("SET TIME ZONE 'UTC'");
  if (opts.schema) {
    await pg.exec(
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}; SET search_path TO ${quoteIdent(opts.schema)}`,
    );
  }
  return new PgliteDb(pg, opts.dataDir ? `PGlite at ${opts.dataDir}` : "PGlite in memory", unlock);
}

/** Saves a copy of an open PGlite store (tests clone a migrated template from it). */
export async function dumpPglite(db: Db): Promise<Blob> {
  if (!(db instanceof PgliteDb)) throw new Error("dumpPglite needs a PGlite store");
  return db.pg.dumpDataDir("none");
}
