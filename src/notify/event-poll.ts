import { contentOf, EVENT_TYPES, TEST_EVENT } from "../domain/notify/index.js";
import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";
import { eventFacts } from "./event-feed.js";
import { type WebhookBody, webhookBody } from "./render/webhook-body.js";

/**
 * The recent events feed, for polling triggers (Zapier, Make): newest first
 * by id, which a poller dedupes on; each event's `data` is what a webhook
 * for it carries (the account, its score, the play, why, a link). Test sends
 * are never in it.
 */

export type PolledEvent = {
  id: string;
  type: string;
  at: string;
  account: string;
  play_id: string | null;
  data: WebhookBody["data"];
};

export type EventPollQuery = {
  types?: readonly string[] | undefined;
  account?: string | undefined;
  limit?: number | undefined;
  /** Events with an id below this (the next page back). */
  before?: string | undefined;
  /** Events with an id above this (what is new since the last poll). */
  since?: string | undefined;
};

export const POLL_LIMIT_MAX = 500;
const KNOWN: readonly string[] = EVENT_TYPES;

const invalid = (field: string, message: string) =>
  new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });

function eventId(field: string, v: string | undefined): string | null {
  if (v === undefined || v === "") return null;
  if (!/^\d{1,18}$/.test(v)) throw invalid(field, "must be an event id (the id of an item)");
  return v;
}

export async function pollEvents(
  q: Queryable,
  query: EventPollQuery,
  publicUrl: string,
): Promise<{ items: PolledEvent[]; next_before: string | null }> {
  const types = query.types?.filter((t) => t !== "") ?? [];
  for (const t of types)
    if (!KNOWN.includes(t)) throw invalid("type", `unknown event type "${t}" (one of ${KNOWN.join(", ")})`);
  const before = eventId("before", query.before);
  const since = eventId("since", query.since);
  const limit = query.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > POLL_LIMIT_MAX)
    throw invalid("limit", `must be between 1 and ${POLL_LIMIT_MAX}`);
  const params: unknown[] = [TEST_EVENT];
  const $ = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ["type <> $1"];
  if (types.length) where.push(`type = ANY(${$(types)}::text[])`);
  if (query.account) where.push(`account = ${$(query.account)}`);
  if (before) where.push(`id < ${$(before)}::bigint`);
  if (since) where.push(`id > ${$(since)}::bigint`);
  const rows = await q.query<{ id: string }>(
    `SELECT id::text AS id FROM notify_events WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ${$(limit + 1)}`,
    params,
  );
  const page = rows.slice(0, limit);
  const facts = new Map(
    (
      await eventFacts(
        q,
        page.map((r) => Number(r.id)),
      )
    ).map((f) => [String(f.id), f]),
  );
  const items = page.flatMap((r) => {
    const f = facts.get(r.id);
    if (!f) return [];
    return [
      {
        id: r.id,
        type: f.type,
        at: f.at.toISOString(),
        account: f.account,
        play_id: f.play_id,
        data: webhookBody(r.id, f.type, contentOf(f, publicUrl)).data,
      },
    ];
  });
  return { items, next_before: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}
