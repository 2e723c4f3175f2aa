/**
 * Whom an event tells, how, and when: the pure rules of routing. The router
 * (src/notify/route.ts) reads the events with what it knows (EventFacts) and
 * the recipients' preferences (RouteContext), calls `routeEvents`, and writes
 * what it decides.
 *
 * The `detail` fields read, per event type (play.* events carry the play's
 * history line):
 * - play.opened     {reason, owner_user, owner_via} — owner_user when the play facts have none
 * - play.escalated  {level, to_user, via, due_at} — to_user is told; via "owner" is a reminder
 * - play.overdue    {due_at}
 * - play.closed     {outcome, closed_by_user} — the closer is not told
 * - account.band_changed  {band_before, band_after, score_before, score_after}
 * - account.score_dropped {score_before, score_after, drop} — announced as written (the writer
 *                          applied the team's score_drop_points)
 * - account.flagged {probability_before, probability, threshold, horizon_days}
 * - signal.detected {severity, label | name | signal, reason | detail}
 */
import { contentOf, severityOf } from "./alert-content.js";
import { countInDay, type LocalDay, localDay } from "./budget.js";
import { isTimeZone } from "./local-time.js";
import { quietUntil } from "./quiet-hours.js";
import {
  type AlertContent,
  type EventFacts,
  type NewAlert,
  type Recipient,
  type RouteContext,
  type RouteResult,
  type Severity,
  type SubscriptionRule,
  TEST_EVENT,
  type UserPrefs,
} from "./types.js";

/** `user:<id>` or `channel:<id>`: a recipient as dedupe keys and budgets name it. */
export function recipientKey(r: Recipient): string {
  return r.kind === "user" ? `user:${r.user}` : `channel:${r.channel}`;
}

/**
 * One alert per recipient, subject and event type: a play's for its life
 * (a re-fire adds an occurrence), an account's per UTC day of the event.
 */
export function dedupeKey(recipient: Recipient, e: EventFacts): string {
  const base = `${recipientKey(recipient)}|${e.subject}|${e.type}`;
  return e.type.startsWith("play.") ? base : `${base}|${e.at.toISOString().slice(0, 10)}`;
}

const str = (x: unknown): string | null => (typeof x === "string" && x !== "" ? x : null);

/** The people an event is about by its nature (before subscriptions). */
function directUsers(e: EventFacts): (string | null)[] {
  const owner = e.play?.owner_user ?? str(e.detail.owner_user);
  switch (e.type) {
    case "play.opened":
      return [owner];
    case "play.escalated":
      return [str(e.detail.to_user)];
    case "play.overdue":
    case "play.closed":
      return [owner, ...(e.play?.collaborators ?? [])];
    case "account.band_changed":
    case "account.score_dropped":
    case "account.flagged":
    case "signal.detected":
      return [e.account_owner_user];
    default:
      return [];
  }
}

/** The band a band subscription is matched on: the new band for a band change, else the account's. */
const bandOf = (e: EventFacts) =>
  e.type === "account.band_changed" ? (str(e.detail.band_after) ?? e.band) : e.band;

export function subscriptionMatches(s: SubscriptionRule, e: EventFacts): boolean {
  if (s.event_types.length > 0 && !s.event_types.includes(e.type)) return false;
  switch (s.scope) {
    case "account":
      return s.value === e.account;
    case "segment":
      return e.account_segment !== null && s.value === e.account_segment;
    case "band":
      return s.value === bandOf(e);
    case "event":
      return s.value === e.type;
  }
}

/** Everyone an event tells, once each, in a stable order: the people it is about, then subscribers. */
export function recipientsOf(
  e: EventFacts,
  ctx: Pick<RouteContext, "users" | "channels" | "subscriptions">,
): Recipient[] {
  const out = new Map<string, Recipient>();
  // Who closed a play knows it: they are not told, however they follow it.
  const actor = e.type === "play.closed" ? str(e.detail.closed_by_user) : null;
  const addUser = (user: string | null) => {
    if (user === null || user === actor || !ctx.users.get(user)?.active) return;
    out.set(`user:${user}`, { kind: "user", user });
  };
  for (const u of directUsers(e)) addUser(u);
  for (const s of ctx.subscriptions) {
    if (!subscriptionMatches(s, e)) continue;
    if (s.user !== null) addUser(s.user);
    else if (s.channel !== null && ctx.channels.has(s.channel))
      out.set(`channel:${s.channel}`, { kind: "channel", channel: s.channel });
  }
  return [...out.values()];
}

const AT_ONCE_TYPES = new Set(["play.escalated", "play.overdue", "account.flagged"]);

/** Immediate or the digest, before the budget: by the recipient's mode, else by severity and type. */
export function deliveryByMode(
  mode: UserPrefs["mode"],
  severity: Severity,
  type: string,
): { delivery: "immediate" | "digest"; reason: string | null } {
  if (mode === "immediate") return { delivery: "immediate", reason: null };
  if (mode === "digest") return { delivery: "digest", reason: "mode" };
  if (severity === "critical" || severity === "at_risk" || AT_ONCE_TYPES.has(type))
    return { delivery: "immediate", reason: null };
  return { delivery: "digest", reason: "severity" };
}

/** Per batch: what does not change while `now` stands still (local days, quiet hours, valid zones). */
function batchMemo(ctx: RouteContext) {
  const days = new Map<string, LocalDay>();
  const quiet = new Map<string, Date | null>();
  const zones = new Map<string, string>();
  const zoneOf = (p: UserPrefs) => {
    let z = zones.get(p.time_zone);
    if (z === undefined) {
      // A zone the runtime does not know counts as UTC rather than stopping the batch.
      z = isTimeZone(p.time_zone) ? p.time_zone : "UTC";
      zones.set(p.time_zone, z);
    }
    return z;
  };
  return {
    zoneOf,
    dayIn(zone: string): LocalDay {
      let d = days.get(zone);
      if (!d) {
        d = localDay(ctx.now, zone);
        days.set(zone, d);
      }
      return d;
    },
    quietEnd(p: UserPrefs): Date | null {
      if (!quiet.has(p.user)) quiet.set(p.user, quietUntil(p.quiet, zoneOf(p), ctx.now));
      return quiet.get(p.user) ?? null;
    },
  };
}

/**
 * Routes a batch of events: an alert per recipient (or an occurrence added
 * to the one that exists), a message per channel for each immediate alert,
 * and a webhook call per matching endpoint. A held-out play announces nothing.
 */
export function routeEvents(events: readonly EventFacts[], ctx: RouteContext): RouteResult {
  const result: RouteResult = { alerts: [], bumps: [], messages: [], webhooks: [] };
  const made = new Set<string>();
  /** Immediate alerts decided in this batch, per recipient key: all at `now`, so in today's budget. */
  const sentNow = new Map<string, number>();
  const memo = batchMemo(ctx);
  for (const e of events) {
    if (e.play?.arm === "holdout" || e.type === TEST_EVENT) continue;
    const content = contentOf(e, ctx.publicUrl);
    const severity = severityOf(e);
    for (const endpoint of ctx.endpoints)
      if (endpoint.event_types.length === 0 || endpoint.event_types.includes(e.type))
        result.webhooks.push({ endpoint: endpoint.id, event_id: e.id, content });
    for (const recipient of recipientsOf(e, ctx)) {
      const key = dedupeKey(recipient, e);
      if (ctx.existing.has(key) || made.has(key)) {
        result.bumps.push({ dedupe_key: key, event_id: e.id });
        continue;
      }
      made.add(key);
      const prefs = recipient.kind === "user" ? ctx.users.get(recipient.user) : undefined;
      let { delivery, reason } = deliveryByMode(prefs?.mode ?? "default", severity, e.type);
      const rk = recipientKey(recipient);
      if (delivery === "immediate") {
        const day = memo.dayIn(prefs ? memo.zoneOf(prefs) : "UTC");
        const budget = prefs?.budget_per_day ?? ctx.settings.budget_per_day;
        const before = countInDay(ctx.immediateSent.get(rk) ?? [], day) + (sentNow.get(rk) ?? 0);
        if (before >= budget) [delivery, reason] = ["digest", "budget"];
        else sentNow.set(rk, (sentNow.get(rk) ?? 0) + 1);
      }
      const alertContent: AlertContent =
        e.type === "play.escalated" && recipient.kind === "user"
          ? contentOf(e, ctx.publicUrl, recipient.user)
          : content;
      const alert: NewAlert = {
        dedupe_key: key,
        recipient,
        event_id: e.id,
        event_type: e.type,
        subject: e.subject,
        account: e.account,
        play_id: e.play_id,
        severity,
        delivery,
        delivery_reason: reason,
        content: alertContent,
      };
      result.alerts.push(alert);
      if (delivery !== "immediate") continue;
      if (!prefs) {
        result.messages.push({ dedupe_key: key, channel: "slack", recipient, not_before: ctx.now });
        continue;
      }
      const notBefore = memo.quietEnd(prefs) ?? ctx.now;
      if (prefs.email && ctx.settings.email_enabled && prefs.email_address)
        result.messages.push({ dedupe_key: key, channel: "email", recipient, not_before: notBefore });
      if (prefs.slack)
        result.messages.push({ dedupe_key: key, channel: "slack", recipient, not_before: notBefore });
    }
  }
  return result;
}
