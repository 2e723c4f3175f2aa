import type { Queryable } from "../store/index.js";
import type { Actor } from "./principal.js";

export type AuditEntry = {
  id: number;
  at: string;
  actor_type: Actor["type"];
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

/**
 * Appends to the audit log, in the transaction of the change it records (so
 * a change and its entry commit together). `before`/`after` never hold a
 * secret: callers pass what people may read.
 */
export async function audit(
  q: Queryable,
  actor: Actor,
  action: string,
  entry: { subjectType?: string; subjectId?: string; before?: unknown; after?: unknown } = {},
): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (actor_type, actor_id, actor_label, action, subject_type, subject_id, before, after, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
    [
      actor.type,
      actor.id,
      actor.label,
      action,
      entry.subjectType ?? null,
      entry.subjectId ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      actor.ip ?? null,
    ],
  );
}

export interface AuditQuery {
  action?: string;
  actor?: string;
  subject_type?: string;
  subject_id?: string;
  /** Entries before this id (paging backwards, newest first). */
  before_id?: number;
  limit?: number;
}

/** Audit entries, newest first, paged by id. */
export async function listAudit(
  q: Queryable,
  query: AuditQuery,
): Promise<{ data: AuditEntry[]; next_cursor: string | null }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const $ = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // An action matches itself and its sub-actions ("user" matches "user.created").
  if (query.action) where.push(`(action = ${$(query.action)} OR action LIKE ${$(`${query.action}.%`)})`);
  if (query.actor) where.push(`(actor_id = ${$(query.actor)} OR actor_label = ${$(query.actor)})`);
  if (query.subject_type) where.push(`subject_type = ${$(query.subject_type)}`);
  if (query.subject_id) where.push(`subject_id = ${$(query.subject_id)}`);
  if (query.before_id !== undefined) where.push(`id < ${$(query.before_id)}`);
  const limit = query.limit ?? 50;
  const rows = await q.query<AuditEntry>(
    `SELECT id::int AS id, at, actor_type, actor_id, actor_label, action, subject_type, subject_id, before, after, ip
     FROM audit_log ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY id DESC LIMIT ${$(limit + 1)}`,
    params,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: page, next_cursor: rows.length > limit && last ? String(last.id) : null };
}
