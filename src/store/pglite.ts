import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PGlite, type Transaction, types } from "@electric-sql/pglite";
import { copyChunks, isUniqueViolation } from "./copy-text.js";
import { lockDataDir } from "./data-dir-lock.js";
import type { BulkRows, Db, Queryable, Row } from "./port.js";
import { quoteIdent, rowCount } from "./port.js";
import { cleanUpAfter } from "./transient.js";

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

  async exec(sql: string): Promise<Row[]> {
    const results = await this.conn.exec(sql);
    return (results.at(-1)?.rows ?? []) as Row[];
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
    // In a transaction a failed statement aborts it: the DROP would then fail
    // too, and must not hide the statement's own error.
    const drop = () => this.conn.exec(`DROP TABLE IF EXISTS ${table}`);
    let result: R[];
    try {
      await this.conn.query(`COPY ${table} (${cols.join(", ")}) FROM '/dev/blob'`, [], {
        blob: blobOf(rows),
      });
      result = (await this.conn.query<R>(use(`${table} AS src`))).rows;
    } catch (err) {
      return cleanUpAfter(err, drop);
    }
    await drop();
    return result;
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
      const rollback = () => this.conn.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
      if (!isUniqueViolation(err)) return cleanUpAfter(err, rollback);
      await rollback();
      return "conflict";
    }
  }
}

class PgliteDb extends PgliteQueryable implements Db {
  constructor(
    readonly pg: PGlite,
    readonly label: string,
    private readonly unlock: () => void = () => {},
    readonly schema: string | undefined = undefined,
  ) {
    super(pg);
  }

  /** Transactions begun and not yet ended (PGlite runs one at a time; the rest wait). */
  private open = 0;

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    this.open++;
    try {
      return await this.pg.transaction((tx) => fn(new PgliteQueryable(tx)));
    } finally {
      this.open--;
    }
  }

  // A script with its own BEGIN that fails half-way would leave the one
  // connection in an aborted transaction: end it (a no-op when none is open).
  override async exec(sql: string): Promise<Row[]> {
    try {
      return await super.exec(sql);
    } catch (err) {
      return cleanUpAfter(err, () => this.pg.exec("ROLLBACK"));
    }
  }

  // The store runs in this process: while a transaction runs, it is alive by
  // definition, and a probe must not queue behind a long import.
  async ping(): Promise<void> {
    if (this.open === 0) await this.pg.query("SELECT 1");
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

export async function openPglite(opts: PgliteOptions = {}): Promise<Db> {
  let unlock = () => {};
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    unlock = lockDataDir(opts.dataDir);
    // Holding the folder's lock, no other PGlite runs on it: a postmaster.pid
    // is a killed process's. PGlite refuses for good to start over an empty
    // one (a kill -9 the instant it is created), so it goes.
    rmSync(join(opts.dataDir, "postmaster.pid"), { force: true });
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
  return new PgliteDb(
    pg,
    opts.dataDir ? `PGlite at ${opts.dataDir}` : "PGlite in memory",
    unlock,
    opts.schema,
  );
}

/** Saves a copy of an open PGlite store (tests clone a migrated template from it). */
export async function dumpPglite(db: Db): Promise<Blob> {
  if (!(db instanceof PgliteDb)) throw new Error("dumpPglite needs a PGlite store");
  return db.pg.dumpDataDir("none");
}
