/**
 * The database port. Everything outside src/store talks to the store through
 * this interface and never learns whether it is PGlite or PostgreSQL.
 */
export type Row = Record<string, unknown>;

/** A text value for a bulk column, or null. Bulk columns are always loaded as text and cast in SQL. */
export type Cell = string | null;

/** Rows already written in COPY text form (one line per row), e.g. by a worker thread. */
export interface EncodedRows {
  readonly copy: readonly string[];
  readonly count: number;
}

/** Rows for the bulk paths: cells, or the same already encoded. */
export type BulkRows = readonly (readonly Cell[])[] | EncodedRows;

export function rowCount(rows: BulkRows): number {
  return "copy" in rows ? rows.count : rows.length;
}

export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs one or more statements without parameters (migrations, DDL); returns the last one's rows. */
  exec(sql: string): Promise<Row[]>;
  /**
   * Makes `rows` available as a relation of text columns named `columns`, and runs
   * the statement `use(source)` against it, where `source` is a FROM-clause item
   * (`... AS src`). The fastest bulk path of each store: COPY into a temporary
   * table on PostgreSQL, COPY from a blob on PGlite.
   */
  withRows<R extends Row = Row>(
    columns: readonly string[],
    rows: BulkRows,
    use: (source: string) => string,
  ): Promise<R[]>;
  /**
   * Appends rows that are expected to be new straight into `table` by the
   * store's fastest path (COPY). When a row's key already exists nothing is
   * written and it returns "conflict", so the caller can merge instead. Use
   * inside a transaction.
   */
  appendRows(table: string, columns: readonly string[], rows: BulkRows): Promise<number | "conflict">;
}

export interface Db extends Queryable {
  /** Runs `fn` in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs `fn` while holding a cluster-wide lock named by `key` (serialises migrations across processes). */
  withLock<T>(key: number, fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Whether the store answers; quick even while a long transaction runs. */
  ping(): Promise<void>;
  /** Where the data lives, for people (never used to branch on). */
  readonly label: string;
  /** The schema Keepwell's tables are in, when one was named; the job queue keeps its tables beside it. */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
