import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyChunks, isUniqueViolation } from "./copy-text.js";
import type { BulkRows, Db, Queryable, Row } from "./port.js";
import { quoteIdent, rowCount } from "./port.js";

/** The same JSON-friendly value types as the PGlite adapter returns. */
const typeParsers: Record<number, (v: string) => unknown> = {
  1700: (v) => Number(v), // numeric
  20: (v) => Number(v), // int8
  1082: (v) => v, // date
  1184: (v) => new Date(v).toISOString(), // timestamptz
  1114: (v) => new Date(`${v}Z`).toISOString(), // timestamp
};
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    typeParsers[oid] ?? pg.types.getTypeParser(oid, format ?? "text"),
};

let stageCounter = 0;
let savepointCounter = 0;

class PgQueryable implements Queryable {
  constructor(protected readonly client: pg.PoolClient) {}

  async query<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    const res = await this.client.query<R>(sql, params as unknown[]);
    return res.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async withRows<R extends Row = Row>(
    columns: readonly string[],
    rows: BulkRows,
    use: (source: string) => string,
  ): Promise<R[]> {
    const table = `kw_stage_${process.pid}_${++stageCounter}`;
    const cols = columns.map(quoteIdent).join(", ");
    await this.client.query(
      `CREATE TEMP TABLE ${table} (${columns.map((c) => `${quoteIdent(c)} text`).join(", ")})`,
    );
    try {
      const copy = this.client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN`));
      await pipeline(Readable.from(copyChunks(rows), { objectMode: false }), copy);
      const res = await this.client.query<R>(use(`${table} AS src`));
      return res.rows;
    } finally {
      await this.client.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  async appendRows(table: string, columns: readonly string[], rows: BulkRows): Promise<number | "conflict"> {
    const sp = `kw_append_${++savepointCounter}`;
    await this.client.query(`SAVEPOINT ${sp}`);
    try {
      const copy = this.client.query(
        copyFrom(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) FROM STDIN`),
      );
      await pipeline(Readable.from(copyChunks(rows), { objectMode: false }), copy);
      await this.client.query(`RELEASE SAVEPOINT ${sp}`);
      return rowCount(rows);
    } catch (err) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${sp}`);
      if (isUniqueViolation(err)) return "conflict";
      throw err;
    }
  }
}

class PgDb implements Db {
  constructor(
    private readonly pool: pg.Pool,
    readonly label: string,
  ) {}

  private async withClient<T>(fn: (q: PgQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(new PgQueryable(client));
    } finally {
      client.release();
    }
  }

  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    return this.withClient((q) => q.query<R>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.withClient((q) => q.exec(sql));
  }

  withRows<R extends Row = Row>(
    columns: readonly string[],
    rows: BulkRows,
    use: (source: string) => string,
  ): Promise<R[]> {
    return this.withClient((q) => q.withRows<R>(columns, rows, use));
  }

  appendRows(table: string, columns: readonly string[], rows: BulkRows) {
    return this.transaction((tx) => tx.appendRows(table, columns, rows));
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PgQueryable(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  withLock<T>(key: number, fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [key]);
      return fn(tx);
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface PostgresOptions {
  url: string;
  /** Create and use this schema (tests give each test its own). */
  schema?: string;
  max?: number;
}

export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  if (opts.schema) {
    const admin = new pg.Client({ connectionString: opts.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 8,
    types,
    // Day boundaries and text forms of times are UTC on every connection.
    options: `-c TimeZone=UTC${opts.schema ? ` -c search_path=${opts.schema}` : ""}`,
  });
  // A dropped idle connection must not crash the process.
  pool.on("error", () => undefined);
  const url = new URL(opts.url);
  return new PgDb(pool, `PostgreSQL at ${url.host}${url.pathname}`);
}
