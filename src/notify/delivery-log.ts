import { type Actor, audit } from "../auth/index.js";
import { AppError } from "../errors.js";
import type { Db, Queryable } from "../store/index.js";
import { queueDeliveryJobs } from "./queue-deliveries.js";
import type { EngineDeps } from "./webhook-admin.js";

/**
 * The delivery log: every outgoing email, Slack post and webhook call, newest
 * first, with filters and a keyset cursor; one delivery with its attempts and
 * what was sent; and a replay — the same delivery (so the same webhook-id)
 * sent again by the workers.
 */

export const DELIVERY_STATES = ["pending", "sending", "delivered", "dead", "uncertain", "cancelled"] as const;
export const CHANNELS = ["email", "slack", "webhook"] as const;
/** States a delivery may be replayed from (delivered: a resend on purpose). */
const REPLAYABLE = ["dead", "uncertain", "cancelled", "delivered"];

export type DeliveryJson = {
  id: string;
  channel: (typeof CHANNELS)[number];
  event_type: string;
  target: string;
  state: (typeof DELIVERY_STATES)[number];
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  last_response: string | null;
  created_at: string;
  delivered_at: string | null;
  dead_at: string | null;
  alert_id: string | null;
  endpoint_id: string | null;
};

export type AttemptJson = {
  n: number;
  started_at: string;
  finished_at: string | null;
  status: number | null;
  error: string | null;
  response: string | null;
  latency_ms: number | null;
};

const COLUMNS = `d.id, d.channel, d.event_type, d.target, d.state, d.attempts, d.next_attempt_at, d.last_status,
  d.last_error, d.last_response, d.created_at, d.delivered_at, d.dead_at, d.alert_id, d.endpoint_id`;

export type DeliveryQuery = {
  state?: readonly string[] | undefined;
  channel?: readonly string[] | undefined;
  endpoint?: string | undefined;
  alert?: string | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
};

const invalid = (field: string, message: string) =>
  new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });

function oneOf(
  field: string,
  values: readonly string[] | undefined,
  known: readonly string[],
): string[] | null {
  if (!values || values.length === 0) return null;
  for (const v of values)
    if (!known.includes(v)) throw invalid(field, `unknown ${field} "${v}" (one of ${known.join(", ")})`);
  return [...values];
}

const encodeCursor = (d: { created_at: string; id: string }) =>
  Buffer.from(JSON.stringify([d.created_at, d.id])).toString("base64url");

function decodeCursor(c: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(c, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") {
      if (!Number.isNaN(Date.parse(v[0]))) return [v[0], v[1]];
    }
  } catch {
    // falls through
  }
  throw invalid("cursor", "not a cursor this listing gave (pass next_cursor as it came)");
}

/** Deliveries, newest first (created_at, id), filtered, a page at a time. */
export async function listDeliveries(
  q: Queryable,
  query: DeliveryQuery,
): Promise<{ items: DeliveryJson[]; next_cursor: string | null }> {
  const params: unknown[] = [];
  const $ = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  const states = oneOf("state", query.state, DELIVERY_STATES);
  const channels = oneOf("channel", query.channel, CHANNELS);
  if (states) where.push(`d.state = ANY(${$(states)}::text[])`);
  if (channels) where.push(`d.channel = ANY(${$(channels)}::text[])`);
  if (query.endpoint) where.push(`d.endpoint_id = ${$(query.endpoint)}`);
  if (query.alert) where.push(`d.alert_id = ${$(query.alert)}`);
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor);
    where.push(`(d.created_at, d.id) < (${$(at)}::timestamptz, ${$(id)})`);
  }
  const limit = query.limit ?? 50;
  const rows = await q.query<DeliveryJson>(
    `SELECT ${COLUMNS} FROM deliveries d ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY d.created_at DESC, d.id DESC LIMIT ${$(limit + 1)}`,
    params,
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export async function getDelivery(q: Queryable, id: string): Promise<DeliveryJson> {
  const [d] = await q.query<DeliveryJson>(`SELECT ${COLUMNS} FROM deliveries d WHERE d.id = $1`, [id]);
  if (!d) throw new AppError("not_found", `no delivery ${id}`);
  return d;
}

/** A body as the log shows it: what was sent, never a secret (a Slack body holds no URL; an email no password). */
function shownBody(channel: string, body: unknown): unknown {
  if (channel !== "slack" || typeof body !== "object" || body === null) return body;
  const { url: _u, webhook_url: _w, ...rest } = body as Record<string, unknown>;
  return rest;
}

/** One delivery with its attempts (in order) and its body. */
export async function deliveryDetail(
  db: Db,
  id: string,
): Promise<
  Omit<DeliveryJson, "attempts"> & { attempts: AttemptJson[]; attempt_count: number; body: unknown }
> {
  const d = await getDelivery(db, id);
  const [{ body } = { body: null }] = await db.query<{ body: unknown }>(
    "SELECT body FROM deliveries WHERE id = $1",
    [id],
  );
  const attempts = await db.query<AttemptJson>(
    `SELECT n, started_at, finished_at, status, error, response, latency_ms
     FROM delivery_attempts WHERE delivery_id = $1 ORDER BY n`,
    [id],
  );
  return { ...d, attempts, attempt_count: d.attempts, body: shownBody(d.channel, body) };
}

/**
 * Sends a delivery again: back to pending, due now, its lease cleared, its
 * attempts still counting on; the same id (and so the same webhook-id). A
 * delivery on its way (pending, sending) is refused, as is one to an
 * endpoint that is disabled. Audited; a delivery job is queued in the same transaction.
 */
export async function replayDelivery(deps: EngineDeps, id: string, actor: Actor): Promise<DeliveryJson> {
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.query<{ state: string; endpoint_id: string | null; disabled_at: string | null }>(
      `SELECT d.state, d.endpoint_id, w.disabled_at FROM deliveries d
       LEFT JOIN webhook_endpoints w ON w.id = d.endpoint_id WHERE d.id = $1 FOR UPDATE OF d`,
      [id],
    );
    if (!row) throw new AppError("not_found", `no delivery ${id}`);
    if (!REPLAYABLE.includes(row.state))
      throw new AppError(
        "conflict",
        `delivery ${id} is ${row.state}: it is on its way already (replay a dead, uncertain, cancelled or delivered one)`,
      );
    if (row.endpoint_id && row.disabled_at)
      throw new AppError(
        "conflict",
        `delivery ${id} goes to webhook endpoint ${row.endpoint_id}, which is disabled; enable it first`,
      );
    await tx.query(
      `UPDATE deliveries SET state = 'pending', next_attempt_at = $2, lease_until = NULL, dead_at = NULL WHERE id = $1`,
      [id, now.toISOString()],
    );
    await queueDeliveryJobs(tx, deps.jobs, [{ id, at: now }], now);
    await audit(tx, actor, "delivery.replayed", {
      subjectType: "delivery",
      subjectId: id,
      before: { state: row.state },
      after: { state: "pending" },
    });
    return getDelivery(tx, id);
  });
}
