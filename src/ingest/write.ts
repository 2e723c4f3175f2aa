import { copyText, type Queryable, quoteIdent } from "../store/index.js";
import { type Batch, entityColumnsOf } from "./batch.js";
import type { Entity } from "./entities.js";
import { columnOf } from "./entities.js";
import { IssueList, MAX_ISSUES } from "./issues.js";
import { ImportRejected } from "./rejected.js";
import { excerpt } from "./safe-text.js";
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
  // Rows are taken in key order, so concurrent writers of the same records
  // lock them in the same order instead of deadlocking.
  const order = entity.key.map((k) => `src.${quoteIdent(columnOf(entity, k))}`).join(", ");
  // An event id names one event: one already stored under another account is
  // reported (a concurrent writer of the same id under another account that
  // commits while this statement runs is skipped by ON CONFLICT instead).
  const clashes =
    entity.mode === "once"
      ? `, (SELECT coalesce(json_agg(c), '[]'::json) FROM (
          SELECT src.id, e.account FROM ${source} JOIN ${t} e ON e.id = src.id AND e.account <> src.account
          ORDER BY src.id LIMIT ${MAX_ISSUES}) c) AS clashes`
      : "";
  return `WITH up AS (
    INSERT INTO ${t} (${q.join(", ")})
    SELECT ${select} FROM ${source} ORDER BY ${order}
    ${conflict}
    RETURNING (xmax = 0) AS inserted, ${quoteIdent(accountCol)} AS account${rollup ? ", user_id, ts, name, value" : ""}
  )${rollup ? rollupFromInsertedSql("up") : ""}
  SELECT count(*) FILTER (WHERE inserted)::int AS inserted,
         count(*) FILTER (WHERE NOT inserted)::int AS updated,
         coalesce(array_agg(DISTINCT account), '{}') AS touched${clashes}
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
  const [r] = await tx.withRows<{
    inserted: number;
    updated: number;
    touched: string[];
    clashes?: { id: string; account: string }[];
  }>(columns, batch.rows, (src) => mergeSql(entity, src));
  if (r?.clashes?.length) throw clashError(entity, batch, r.clashes);
  return { inserted: r?.inserted ?? 0, updated: r?.updated ?? 0, touched: r?.touched ?? [] };
}

/** The position in `batch` of the row whose first column (the id) is `id`; only looked for on the error path. */
function rowOf(batch: Batch, id: string): number {
  const rows = batch.rows;
  if (!("copy" in rows)) return rows.findIndex((r) => r[0] === id);
  const prefix = `${copyText(id)}\t`;
  let index = 0;
  for (const chunk of rows.copy) {
    const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
    for (const line of text.split("\n")) {
      if (line === "") continue;
      if (line.startsWith(prefix)) return index;
      index++;
    }
  }
  return -1;
}

function clashError(
  entity: Entity,
  batch: Batch,
  clashes: { id: string; account: string }[],
): ImportRejected {
  const issues = new IssueList();
  for (const c of clashes) {
    const row = rowOf(batch, c.id);
    issues.add({
      record: row < 0 ? batch.firstRecord : batch.firstRecord + row,
      field: "id",
      message: `${excerpt(c.id, 60)} is already stored under account ${excerpt(c.account, 60)}: an event id names one event, so it cannot also belong to another account`,
    });
  }
  return new ImportRejected(entity.name, issues, []);
}
