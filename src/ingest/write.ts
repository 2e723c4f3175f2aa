import type { Cell, Queryable } from "../store/index.js";
import { quoteIdent } from "../store/index.js";
import type { Entity } from "./entities.js";
import { columnOf } from "./entities.js";

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
  const cols = fields.map((f) => columnOf(entity, f));
  const q = cols.map(quoteIdent);
  const select = fields.map((f, i) => `src.${q[i]}::${entity.fields[f]!.field.sqlType}`).join(", ");
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
  return `WITH up AS (
    INSERT INTO ${t} (${q.join(", ")})
    SELECT ${select} FROM ${source}
    ${conflict}
    RETURNING (xmax = 0) AS inserted, ${quoteIdent(accountCol)} AS account
  )
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
         count(*) FILTER (WHERE NOT inserted)::int AS updated,
         coalesce(array_agg(DISTINCT account), '{}') AS touched
  FROM up`;
}

export async function writeBatch(tx: Queryable, entity: Entity, rows: Cell[][]): Promise<WriteCounts> {
  const columns = Object.keys(entity.fields).map((f) => columnOf(entity, f));
  if (entity.mode === "once") {
    // Usually every event is new: COPY straight into the table, and merge only
    // when some were sent before.
    const n = await tx.appendRows(entity.table, columns, rows);
    if (n !== "conflict") {
      const a = columns.indexOf("account");
      return { inserted: n, updated: 0, touched: [...new Set(rows.map((r) => r[a] ?? ""))] };
    }
  }
  const [r] = await tx.withRows<{ inserted: number; updated: number; touched: string[] }>(
    columns,
    rows,
    (src) => mergeSql(entity, src),
  );
  return { inserted: r?.inserted ?? 0, updated: r?.updated ?? 0, touched: r?.touched ?? [] };
}
