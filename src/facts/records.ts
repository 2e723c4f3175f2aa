import { columnOf, type Entity } from "../ingest/index.js";
import type { Queryable } from "../store/index.js";
import { quoteIdent } from "../store/index.js";
import { getAccount } from "./accounts.js";
import { decodeCursor, encodeCursor, type Page } from "./pages.js";

/** The API fields of an entity, selected under their API names. */
/** The API fields of an entity (and its derived columns, e.g. a ticket's sentiment), under their API names. */
export function selectFields(entity: Entity, alias = "t"): string {
  return [
    ...Object.keys(entity.fields).map(
      (f) => `${alias}.${quoteIdent(columnOf(entity, f))} AS ${quoteIdent(f)}`,
    ),
    ...(entity.derived ?? []).map((d) => `${alias}.${quoteIdent(d.column)}`),
  ].join(", ");
}

export interface RecordQuery {
  account?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Records of one entity, newest first (by its time field), paged by keyset.
 * An unknown account is a 404, not an empty page.
 */
export async function listRecords(
  db: Queryable,
  entity: Entity,
  q: RecordQuery,
): Promise<Page<Record<string, unknown>>> {
  if (q.account !== undefined) await getAccount(db, q.account);
  const time = entity.timeField ? `t.${quoteIdent(columnOf(entity, entity.timeField))}` : "NULL::text";
  // A row's identity within the ordering: its key, as one text value.
  const ident = entity.key.map((k) => `t.${quoteIdent(columnOf(entity, k))}::text`).join(" || '|' || ");
  const sortExpr = `coalesce(${time}::text, '')`;
  const params: unknown[] = [];
  const where: string[] = [];
  if (q.account !== undefined) {
    params.push(q.account);
    where.push(`t.account = $${params.length}`);
  }
  if (q.cursor) {
    const [value, id] = decodeCursor(q.cursor);
    params.push(value, id);
    where.push(`(${sortExpr}, ${ident}) < ($${params.length - 1}::text, $${params.length}::text)`);
  }
  const limit = q.limit ?? 50;
  params.push(limit + 1);
  const rows = await db.query(
    `SELECT ${selectFields(entity)}, ${sortExpr} AS _sort, ${ident} AS _ident FROM ${quoteIdent(entity.table)} t
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY ${sortExpr} DESC, ${ident} DESC LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(({ _sort, _ident, ...r }) => r),
    next_cursor: more && last ? encodeCursor(last._sort, String(last._ident)) : null,
  };
}
