import { type BulkRows, type Cell, encodeRows } from "../store/index.js";
import type { Entity } from "./entities.js";
import { rollUp } from "./usage-rollup.js";
import { entityColumns as entityColumnsOf } from "./validate.js";

/** One batch of valid records, ready for the store. */
export interface Batch {
  rows: BulkRows;
  /** The distinct accounts of its records. */
  accounts: string[];
  /** The input position of its first row: a batch holds consecutive records (nothing is written once one is bad). */
  firstRecord: number;
  /** The usage roll-up of its events, when every event turns out to be new. */
  rollup?: { users: BulkRows; features: BulkRows };
}

export { entityColumns as entityColumnsOf } from "./validate.js";

/**
 * Builds a batch from cells. `encode` writes the COPY text here and now: the
 * import worker does that, so the main thread only hands text to the store.
 */
export function makeBatch(entity: Entity, cells: Cell[][], firstRecord: number, encode: boolean): Batch {
  const columns = entityColumnsOf(entity);
  const a = columns.indexOf(entity.ofAccount ? "account" : "id");
  const accounts = [...new Set(cells.map((r) => r[a] ?? ""))];
  const enc = (rows: Cell[][]): BulkRows => (encode ? encodeRows(rows) : rows);
  const batch: Batch = { rows: enc(cells), accounts, firstRecord };
  if (entity.rollsUpUsage) {
    const r = rollUp(columns, cells);
    batch.rollup = { users: enc(r.users), features: enc(r.features) };
  }
  return batch;
}
