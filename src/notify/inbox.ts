import { z } from "zod";
import type { AlertContent } from "../domain/notify/index.js";
import { AppError } from "../errors.js";
import { decodeCursor, encodeCursor } from "../facts/pages.js";
import type { Db, Queryable } from "../store/index.js";

/**
 * A person's in-app notifications: their alerts (recipient_user = them),
 * newest first, paged by (created_at, id); the unread count; marking read.
 * Only ever the caller's own: every statement names the user.
 */

export type Notification = {
  id: string;
  event_type: string;
  severity: string;
  title: string;
  account: { id: string; name: string };
  play_id: string | null;
  occurrences: number;
  delivery: "immediate" | "digest";
  created_at: string;
  updated_at: string;
  read_at: string | null;
  link: string;
  content: AlertContent;
};

export type InboxQuery = {
  unread?: boolean | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

/** POST /api/v1/notifications/read: these ids, or all of them. */
export const markInput = z
  .object({
    ids: z.array(z.string().min(1).max(200)).max(1000, "at most 1000 ids at once").optional(),
    all: z.literal(true, "pass all: true, or ids").optional(),
  })
  .refine((v) => (v.ids === undefined) !== (v.all === undefined), {
    path: ["ids"],
    message: "pass either ids (a list of notification ids) or all: true",
  });
export type MarkInput = z.infer<typeof markInput>;

/** created_at exactly as the cursor holds it (microseconds, UTC). */
const AT = `to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const CURSOR_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

type Row = Omit<Notification, "account" | "link"> & { account_id: string; _at: string };

function badCursor(): AppError {
  return new AppError("validation_failed", "cursor is not one this server gave out for this listing", {
    details: [{ field: "cursor", message: "pass the next_cursor of the previous page" }],
  });
}

export async function unreadCount(q: Queryable, user: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM alerts WHERE recipient_user = $1 AND read_at IS NULL",
    [user],
  );
  return row?.n ?? 0;
}

/** The user's notifications, newest first, a page at a time, with their unread count. */
export async function listNotifications(
  q: Queryable,
  user: string,
  query: InboxQuery,
): Promise<{ items: Notification[]; unread: number; next_cursor: string | null }> {
  const params: unknown[] = [user];
  const $ = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ["a.recipient_user = $1"];
  if (query.unread) where.push("a.read_at IS NULL");
  if (query.cursor !== undefined) {
    const [at, id] = decodeCursor(query.cursor, "text");
    if (typeof at !== "string" || !CURSOR_AT.test(at) || Number.isNaN(Date.parse(at))) throw badCursor();
    where.push(`(a.created_at, a.id) < (${$(at)}::timestamptz, ${$(id)})`);
  }
  const limit = query.limit ?? 50;
  const rows = await q.query<Row>(
    `SELECT a.id, a.event_type, a.severity, a.title, a.account AS account_id, a.play_id, a.occurrences, a.delivery,
            a.created_at, a.updated_at, a.read_at, a.content, ${AT} AS _at
     FROM alerts a WHERE ${where.join(" AND ")}
     ORDER BY a.created_at DESC, a.id DESC LIMIT ${$(limit + 1)}`,
    params,
  );
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(({ _at, account_id, ...r }) => ({
      ...r,
      account: {
        id: r.content?.account?.id ?? account_id,
        name: r.content?.account?.name ?? account_id,
      },
      link: r.content?.link ?? "",
    })),
    unread: await unreadCount(q, user),
    next_cursor: rows.length > limit && last ? encodeCursor(last._at, last.id) : null,
  };
}

/** Marks the user's own notifications read (others' ids are passed over); how many changed, and what is left unread. */
export async function markRead(
  db: Db,
  user: string,
  input: MarkInput,
  now: Date,
): Promise<{ marked: number; unread: number }> {
  return db.transaction(async (tx) => {
    const marked = await tx.query<{ id: string }>(
      `UPDATE alerts SET read_at = $2
       WHERE recipient_user = $1 AND read_at IS NULL AND ($3::boolean OR id = ANY($4::text[]))
       RETURNING id`,
      [user, now.toISOString(), input.all === true, input.ids ?? []],
    );
    return { marked: marked.length, unread: await unreadCount(tx, user) };
  });
}
