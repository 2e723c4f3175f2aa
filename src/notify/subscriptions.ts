import { z } from "zod";
import { type Actor, audit } from "../auth/index.js";
import { newId } from "../auth/tokens.js";
import { EVENT_TYPES } from "../domain/notify/index.js";
import { AppError } from "../errors.js";
import type { Db, Queryable } from "../store/index.js";
import { invalid } from "./prefs.js";

/**
 * What a person follows (an account, a segment, a band, an event type), and
 * — set up by an admin — what a Slack channel follows. Subscribing again to
 * the same thing answers the subscription already there.
 */

export type Subscription = {
  id: string;
  scope: "account" | "segment" | "band" | "event";
  value: string;
  event_types: string[];
  channel: { id: string; name: string } | null;
};

const BANDS = ["healthy", "watch", "at_risk", "critical"] as const;
const eventType = z.string().refine((s) => (EVENT_TYPES as readonly string[]).includes(s), {
  message: `must be one of ${EVENT_TYPES.join(", ")}`,
});

export const subscriptionInput = z.object({
  scope: z.enum(["account", "segment", "band", "event"]),
  value: z.string().trim().min(1, "say what to follow").max(200),
  event_types: z
    .array(eventType)
    .max(EVENT_TYPES.length * 2)
    .default([]),
  channel_id: z.string().min(1).max(200).optional(),
});
export type SubscriptionInput = z.infer<typeof subscriptionInput>;

/** Who is asking: their user id, and whether they manage notifications (then channels' subscriptions are theirs too). */
export type Subscriber = { user: string; admin: boolean; actor: Actor };

const SELECT = `SELECT s.id, s.scope, s.value, s.event_types,
                       CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'name', c.name) END AS channel
                FROM notify_subscriptions s LEFT JOIN slack_channels c ON c.id = s.channel_id`;

/** The caller's own subscriptions, and for an admin every channel's; oldest first. */
export async function listSubscriptions(q: Queryable, who: Subscriber): Promise<Subscription[]> {
  return q.query<Subscription>(
    `${SELECT} WHERE s.user_id = $1 OR ($2::boolean AND s.channel_id IS NOT NULL)
     ORDER BY s.channel_id IS NOT NULL, c.name, s.created_at, s.id`,
    [who.user, who.admin],
  );
}

async function checkValue(q: Queryable, input: SubscriptionInput): Promise<void> {
  if (input.scope === "account") {
    const [a] = await q.query("SELECT 1 FROM accounts WHERE id = $1", [input.value]);
    if (!a) throw invalid("value", `no account with id ${JSON.stringify(input.value)}`);
  } else if (input.scope === "band" && !(BANDS as readonly string[]).includes(input.value))
    throw invalid("value", `a band is one of ${BANDS.join(", ")}`);
  else if (input.scope === "event" && !(EVENT_TYPES as readonly string[]).includes(input.value))
    throw invalid("value", `an event type is one of ${EVENT_TYPES.join(", ")}`);
}

/** Follows something; the same (follower, scope, value) again answers the one there (created false). */
export async function addSubscription(
  db: Db,
  who: Subscriber,
  input: SubscriptionInput,
  now: Date,
): Promise<{ subscription: Subscription; created: boolean }> {
  if (input.channel_id !== undefined && !who.admin)
    throw new AppError(
      "forbidden",
      'subscribing a Slack channel needs the "notify.manage" permission (admins); leave channel_id out to follow it yourself',
    );
  return db.transaction(async (tx) => {
    await checkValue(tx, input);
    if (input.channel_id !== undefined) {
      const [c] = await tx.query("SELECT 1 FROM slack_channels WHERE id = $1 AND disabled_at IS NULL", [
        input.channel_id,
      ]);
      if (!c) throw invalid("channel_id", "no such Slack channel (or it is disabled)");
    }
    const channel = input.channel_id ?? null;
    const user = channel === null ? who.user : null;
    const made = await tx.query<{ id: string }>(
      `INSERT INTO notify_subscriptions (id, user_id, channel_id, scope, value, event_types, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8)
       ON CONFLICT ((coalesce(user_id, '')), (coalesce(channel_id, '')), scope, value) DO NOTHING
       RETURNING id`,
      [
        newId("sub"),
        user,
        channel,
        input.scope,
        input.value,
        [...new Set(input.event_types)],
        now.toISOString(),
        who.user,
      ],
    );
    const [s] = await tx.query<Subscription>(
      `${SELECT} WHERE coalesce(s.user_id, '') = $1 AND coalesce(s.channel_id, '') = $2
                   AND s.scope = $3 AND s.value = $4`,
      [user ?? "", channel ?? "", input.scope, input.value],
    );
    if (!s) throw new AppError("internal", "the subscription was not saved");
    if (made.length > 0 && channel !== null)
      await audit(tx, who.actor, "notify.channel_subscribed", {
        subjectType: "slack_channel",
        subjectId: channel,
        after: s,
      });
    return { subscription: s, created: made.length > 0 };
  });
}

/** Stops following: only the caller's own, or (admins) a channel's; 404 otherwise. */
export async function removeSubscription(db: Db, who: Subscriber, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [s] = await tx.query<Subscription>(
      `${SELECT} WHERE s.id = $1 AND (s.user_id = $2 OR ($3::boolean AND s.channel_id IS NOT NULL))`,
      [id, who.user, who.admin],
    );
    if (!s) throw new AppError("not_found", `no subscription ${id} of yours`);
    await tx.query("DELETE FROM notify_subscriptions WHERE id = $1", [id]);
    if (s.channel)
      await audit(tx, who.actor, "notify.channel_unsubscribed", {
        subjectType: "slack_channel",
        subjectId: s.channel.id,
        before: s,
      });
  });
}
