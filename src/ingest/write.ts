import type { Queryable } from "../store/index.js";
import { quoteIdent } from "../store/index.js";
import { type Batch, entityColumnsOf } from "./batch.js";
import type { Entity } from "./entities.js";
import { columnOf } from "./entities.js";
import { addRollup, rollupFromInsertedSql } from "./usage-rollup.js";

export interface WriteCounts {
  inserted: number;
  updated: number;
  /** Accounts whose facts changed. */
  touched: string[];
}

/**
 * The set-based upsert of one batch: every row in one statement, with the
 * counts of what was inserted and what was updated (xmax = 0 marks a fresh
 * row). An identical re-sent record matches the WHERE and is left alone.
 */
export function mergeSql(entity: Entity, source: string): string {
  const fields = Object.keys(entity.fields);
  const derived = entity.derived ?? [];
  const cols = [...fields.map((f) => columnOf(entity, f)), ...derived.map((d) => d.column)];
  const types = [...fields.map((f) => entity.fields[f]!.field.sqlType), ...derived.map((d) => d.sqlType)];
  const q = cols.map(quoteIdent);
  const select = q.map((c, i) => `src.${c}::${types[i]}`).join(", ");
  const keyCols = entity.key.map((k) => quoteIdent(columnOf(entity, k))).join(", ");
  const accountCol = entity.ofAccount ? "account" : "id";
  const t = quoteIdent(entity.table);
  let conflict: string;
  if (entity.mode === "once") {
    conflict = "ON CONFLICT DO NOTHING";
  } else {
    const nonKey = cols.filter((c) => !entity.key.some((k) => columnOf(entity, k) === c)).map(quoteIdent);
    conflict = nonKey.length
      ? `ON CONFLICT (${keyCols}) DO UPDATE SET ${nonKey.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}, updated_at = now()
         WHERE (${nonKey.map((c) => `${t}.${c}`).join(", ")}) IS DISTINCT FROM (${nonKey.map((c) => `EXCLUDED.${c}`).join(", ")})`
      : "ON CONFLICT DO NOTHING";
  }
  const rollup = entity.rollsUpUsage;
  return `WITH up AS (
    INSERT INTO ${t} (${q.join(", ")})
    SELECT ${select} FROM ${source}
    ${conflict}
    RETURNING (xmax = 0) AS inserted, ${quoteIdent(accountCol)} AS account${rollup ? ", user_id, ts, name, value" : ""}
  )${rollup ? rollupFromInsertedSql("up") : ""}
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
         count(*) FILTER (WHERE NOT inserted)::int AS updated,
         coalesce(array_agg(DISTINCT account), '{}') AS touched
  FROM up`;
}

export async function writeBatch(tx: Queryable, entity: Entity, batch: Batch): Promise<WriteCounts> {
  const columns = entityColumnsOf(entity);
  if (entity.mode === "once") {
    // Usually every event is new: COPY straight into the table (and its
    // roll-up beside it), and merge only when some were sent before.
    const n = await tx.appendRows(entity.table, columns, batch.rows);
    if (n !== "conflict") {
      if (batch.rollup) await addRollup(tx, batch.rollup);
      return { inserted: n, updated: 0, touched: batch.accounts };
    }
  }
  const [r] = await tx.withRows<{ inserted: number; updated: number; touched: string[] }>(
    columns,
    batch.rows,
    (src) => mergeSql(entity, src),
  );
  return { inserted: r?.inserted ?? 0, updated: r?.updated ?? 0, touched: r?.touched ?? [] };
}
