import { type Actor, audit } from "../auth/index.js";
import { newId } from "../auth/tokens.js";
import { EVENT_TYPES } from "../domain/notify/index.js";
import { AppError } from "../errors.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Queryable } from "../store/index.js";
import { newWebhookSecret } from "./channels/index.js";
import type { NotifyDeps } from "./deps.js";

/**
 * Webhook endpoints as admins and REST-hook subscribers change them: made
 * with a fresh signing secret (sealed; shown once), changed, disabled,
 * removed (disabled for good, its pending deliveries cancelled — the row stays,
 * deliveries point at it), and their secret rotated with a grace time in which
 * the old one signs too. Every change audited, in its own transaction.
 */

export type EngineDeps = NotifyDeps & { jobs?: JobQueue | undefined };

export type WebhookJson = {
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  source: "admin" | "rest_hook";
  created_at: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  deliveries: { delivered: number; pending: number; dead: number };
};

export const REMOVED = "removed";
const URL_MAX = 2000;
const DESCRIPTION_MAX = 500;
const KNOWN: readonly string[] = EVENT_TYPES;

export function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

/** An endpoint's address: an absolute http(s) URL. */
export function checkUrl(url: string, field = "url"): string {
  const s = url.trim();
  if (s === "") throw invalid(field, "give the address to call");
  if (s.length > URL_MAX) throw invalid(field, `must be at most ${URL_MAX} characters`);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw invalid(field, "is not a URL (https://…)");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw invalid(field, "must be an http(s) URL");
  if (!u.hostname) throw invalid(field, "has no host");
  return u.href;
}

/** Event types an endpoint hears: each one known (empty: every type); duplicates dropped. */
export function checkEventTypes(types: readonly string[], field = "event_types"): string[] {
  types.forEach((t, i) => {
    if (!KNOWN.includes(t))
      throw invalid(`${field}[${i}]`, `unknown event type "${t}" (one of ${KNOWN.join(", ")})`);
  });
  return [...new Set(types)];
}

function checkDescription(d: string | null | undefined): string | null {
  const s = d?.trim() ?? "";
  if (s.length > DESCRIPTION_MAX)
    throw invalid("description", `must be at most ${DESCRIPTION_MAX} characters`);
  return s === "" ? null : s;
}

const SELECT = `SELECT w.id, w.url, w.description, w.event_types, w.source, w.created_at, w.disabled_at, w.disabled_reason,
         json_build_object('delivered', coalesce(c.delivered, 0), 'pending', coalesce(c.pending, 0),
                           'dead', coalesce(c.dead, 0)) AS deliveries
  FROM webhook_endpoints w
  LEFT JOIN (
    SELECT endpoint_id, count(*) FILTER (WHERE state = 'delivered')::int AS delivered,
           count(*) FILTER (WHERE state IN ('pending', 'sending'))::int AS pending,
           count(*) FILTER (WHERE state IN ('dead', 'uncertain'))::int AS dead
    FROM deliveries WHERE endpoint_id IS NOT NULL GROUP BY endpoint_id) c ON c.endpoint_id = w.id`;

/** Every endpoint (removed ones too: deliveries point at them), newest first, with its deliveries counted in one grouped query. */
export async function listWebhooks(q: Queryable): Promise<WebhookJson[]> {
  return q.query<WebhookJson>(`${SELECT} ORDER BY w.created_at DESC, w.id DESC`);
}

export async function getWebhook(q: Queryable, id: string): Promise<WebhookJson> {
  const [w] = await q.query<WebhookJson>(`${SELECT} WHERE w.id = $1`, [id]);
  if (!w) throw new AppError("not_found", `no webhook endpoint ${id}`);
  return w;
}

type Locked = {
  id: string;
  source: string;
  disabled_at: string | null;
  disabled_reason: string | null;
  created_by: string | null;
};

async function lockEndpoint(tx: Queryable, id: string): Promise<Locked> {
  const [row] = await tx.query<Locked>(
    "SELECT id, source, disabled_at, disabled_reason, created_by FROM webhook_endpoints WHERE id = $1 FOR UPDATE",
    [id],
  );
  if (!row) throw new AppError("not_found", `no webhook endpoint ${id}`);
  return row;
}

function refuseRemoved(row: Locked): void {
  if (row.disabled_reason === REMOVED)
    throw new AppError("conflict", `webhook endpoint ${row.id} was removed; add the endpoint again instead`);
}

async function cancelPending(tx: Queryable, id: string, why: string): Promise<void> {
  await tx.query(
    `UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, last_error = $2
     WHERE endpoint_id = $1 AND state = 'pending'`,
    [id, why],
  );
}

export type NewEndpoint = {
  url: string;
  description?: string | null | undefined;
  event_types?: readonly string[] | undefined;
  source?: "admin" | "rest_hook";
};

/** Makes an endpoint; its signing secret comes back this once (stored sealed). */
export async function createWebhook(
  deps: Pick<EngineDeps, "db" | "secrets" | "clock">,
  input: NewEndpoint,
  actor: Actor,
  fields: { url: string; event_types: string } = { url: "url", event_types: "event_types" },
): Promise<{ id: string; url: string; event_types: string[]; secret: string }> {
  const url = checkUrl(input.url, fields.url);
  const types = checkEventTypes(input.event_types ?? [], fields.event_types);
  const description = checkDescription(input.description);
  const source = input.source ?? "admin";
  const secret = newWebhookSecret();
  const sealed = deps.secrets.seal(secret);
  const id = newId(source === "rest_hook" ? "hook" : "whk");
  await deps.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO webhook_endpoints (id, url, description, event_types, secret_sealed, source, created_at, created_by)
       VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8)`,
      [id, url, description, types, sealed, source, deps.clock().toISOString(), actor.id ?? actor.label],
    );
    await audit(tx, actor, source === "rest_hook" ? "hook.subscribed" : "webhook.created", {
      subjectType: "webhook",
      subjectId: id,
      after: { url, description, event_types: types, source },
    });
  });
  return { id, url, event_types: types, secret };
}

export type EndpointChange = {
  url?: string | undefined;
  description?: string | null | undefined;
  event_types?: readonly string[] | undefined;
  disabled?: boolean | undefined;
};

/** Changes an endpoint; disabling cancels its pending deliveries, enabling clears why it was disabled. */
export async function updateWebhook(
  deps: Pick<EngineDeps, "db" | "clock">,
  id: string,
  change: EndpointChange,
  actor: Actor,
): Promise<WebhookJson> {
  const url = change.url === undefined ? undefined : checkUrl(change.url);
  const types = change.event_types === undefined ? undefined : checkEventTypes(change.event_types);
  const description = change.description === undefined ? undefined : checkDescription(change.description);
  return deps.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id);
    refuseRemoved(row);
    const before = await getWebhook(tx, id);
    const disable = change.disabled === true && row.disabled_at === null;
    const enable = change.disabled === false && row.disabled_at !== null;
    await tx.query(
      `UPDATE webhook_endpoints SET url = coalesce($2, url),
              description = CASE WHEN $3::boolean THEN $4 ELSE description END,
              event_types = coalesce($5::text[], event_types),
              disabled_at = CASE WHEN $6::boolean THEN $8::timestamptz WHEN $7::boolean THEN NULL ELSE disabled_at END,
              disabled_reason = CASE WHEN $6::boolean THEN $9 WHEN $7::boolean THEN NULL ELSE disabled_reason END
       WHERE id = $1`,
      [
        id,
        url ?? null,
        description !== undefined,
        description ?? null,
        types ?? null,
        disable,
        enable,
        deps.clock().toISOString(),
        `disabled by ${actor.label}`,
      ],
    );
    if (disable) await cancelPending(tx, id, "the endpoint was disabled");
    const after = await getWebhook(tx, id);
    const { deliveries: _b, ...b } = before;
    const { deliveries: _a, ...a } = after;
    await audit(tx, actor, "webhook.updated", { subjectType: "webhook", subjectId: id, before: b, after: a });
    return after;
  });
}

/**
 * Removes an endpoint: disabled for good ("removed"), its pending deliveries
 * cancelled. `restHook`: only a REST-hook subscription may be removed (and by
 * a key, only one it made itself, unless `any`).
 */
export async function removeWebhook(
  deps: Pick<EngineDeps, "db" | "clock">,
  id: string,
  actor: Actor,
  opts: { restHook?: boolean; any?: boolean } = {},
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, id).catch((err) => {
      throw opts.restHook ? new AppError("not_found", `no REST hook ${id}`) : err;
    });
    if (opts.restHook) {
      const mine = opts.any || row.created_by === (actor.id ?? actor.label);
      if (row.source !== "rest_hook" || !mine) throw new AppError("not_found", `no REST hook ${id}`);
    }
    if (row.disabled_reason === REMOVED) return;
    await tx.query(
      `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, $2::timestamptz), disabled_reason = $3
       WHERE id = $1`,
      [id, deps.clock().toISOString(), REMOVED],
    );
    await cancelPending(tx, id, "the endpoint was removed");
    await audit(tx, actor, opts.restHook ? "hook.unsubscribed" : "webhook.removed", {
      subjectType: "webhook",
      subjectId: id,
    });
  });
}

export const GRACE_MAX_HOURS = 168;

/** A new signing secret (shown once); the old one keeps signing beside it for `graceHours` (0: stops at once). */
export async function rotateWebhookSecret(
  deps: Pick<EngineDeps, "db" | "secrets" | "clock">,
  id: string,
  graceHours: number,
  actor: Actor,
): Promise<{ id: string; secret: string }> {
  if (!Number.isFinite(graceHours) || graceHours < 0 || graceHours > GRACE_MAX_HOURS)
    throw invalid("grace_hours", `must be between 0 and ${GRACE_MAX_HOURS}`);
  const secret = newWebhookSecret();
  const sealed = deps.secrets.seal(secret);
  const until = graceHours > 0 ? new Date(deps.clock().getTime() + graceHours * 3_600_000) : null;
  await deps.db.transaction(async (tx) => {
    refuseRemoved(await lockEndpoint(tx, id));
    await tx.query(
      `UPDATE webhook_endpoints SET previous_secret_sealed = CASE WHEN $3::timestamptz IS NULL THEN NULL ELSE secret_sealed END,
              previous_secret_until = $3::timestamptz, secret_sealed = $2
       WHERE id = $1`,
      [id, sealed, until?.toISOString() ?? null],
    );
    await audit(tx, actor, "webhook.secret_rotated", {
      subjectType: "webhook",
      subjectId: id,
      after: { grace_hours: graceHours, previous_until: until?.toISOString() ?? null },
    });
  });
  return { id, secret };
}
