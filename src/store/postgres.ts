import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyChunks, isUniqueViolation } from "./copy-text.js";
import type { BulkRows, Db, Queryable, Row } from "./port.js";
import { quoteIdent, rowCount } from "./port.js";
import { cleanUpAfter } from "./transient.js";

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

  async exec(sql: string): Promise<Row[]> {
    const res = (await this.client.query(sql)) as unknown as pg.QueryResult<Row> | pg.QueryResult<Row>[];
    return (Array.isArray(res) ? res.at(-1)?.rows : res.rows) ?? [];
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
    // In a transaction a failed statement aborts it: the DROP would then fail
    // too, and must not hide the statement's own error.
    const drop = () => this.client.query(`DROP TABLE IF EXISTS ${table}`);
    let result: R[];
    try {
      const copy = this.client.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN`));
      await pipeline(Readable.from(copyChunks(rows), { objectMode: false }), copy);
      result = (await this.client.query<R>(use(`${table} AS src`))).rows;
    } catch (err) {
      return cleanUpAfter(err, drop);
    }
    await drop();
    return result;
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
      const rollback = () => this.client.query(`ROLLBACK TO SAVEPOINT ${sp}`);
      if (!isUniqueViolation(err)) return cleanUpAfter(err, rollback);
      await rollback();
      return "conflict";
    }
  }
}

class PgDb implements Db {
  constructor(
    private readonly pool: pg.Pool,
    readonly label: string,
    readonly schema: string | undefined,
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

  async exec(sql: string): Promise<Row[]> {
    const client = await this.pool.connect();
    try {
      return await new PgQueryable(client).exec(sql);
    } catch (err) {
      // A script with its own BEGIN that fails half-way leaves the connection
      // in an aborted transaction: end it before the connection is reused.
      return await cleanUpAfter(err, () => client.query("ROLLBACK"));
    } finally {
      client.release();
    }
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
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
  return new PgDb(pool, `PostgreSQL at ${url.host}${url.pathname}`, opts.schema);
}
