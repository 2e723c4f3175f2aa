/**
 * Support tickets. Volume, kind, priority and tone follow latent health:
 * unhappy accounts open more tickets, about bugs and performance, in worse
 * words, sometimes naming a competitor. Before churn come escalations and
 * cancellation requests, left open while the account is still a customer.
 */
import type { Calendar } from "./calendar.js";
import { championOn, type People, presentOn, sponsorOn } from "./contacts.js";
import { CORE_FEATURES, FEATURE_LABELS, type Feature, SECONDARY_FEATURES } from "./features.js";
import { clamp, type Rng } from "./random.js";
import type { Emit } from "./sink.js";
import { fill, someCompetitor, type TicketKind, type Tone, ticketText, toneFor } from "./text.js";
import { type Profile, pad, periodAt } from "./world.js";

const MONTHLY_TICKETS = { smb: 0.35, mid_market: 0.9, enterprise: 2.2 } as const;
const KIND_TAG: Readonly<Record<TicketKind, string>> = {
  how_to: "how_to",
  bug: "bug",
  billing: "billing",
  feature_request: "feature_request",
  access: "access",
  integration: "integration",
  performance: "performance",
  cancellation: "cancellation_request",
  escalation: "escalation",
};
const HEALTHY_KINDS: Readonly<Partial<Record<TicketKind, number>>> = {
  how_to: 0.3,
  bug: 0.18,
  billing: 0.08,
  feature_request: 0.18,
  access: 0.12,
  integration: 0.08,
  performance: 0.06,
};
const UNHEALTHY_KINDS: Readonly<Partial<Record<TicketKind, number>>> = {
  how_to: 0.08,
  bug: 0.3,
  billing: 0.1,
  feature_request: 0.13,
  access: 0.05,
  integration: 0.12,
  performance: 0.16,
  escalation: 0.06,
};
const FIRST_RESPONSE_HOURS = { low: 12, normal: 5, high: 2, urgent: 0.5 } as const;
const RESOLUTION_HOURS: Readonly<Record<TicketKind, number>> = {
  how_to: 8,
  bug: 60,
  billing: 24,
  feature_request: 72,
  access: 6,
  integration: 48,
  performance: 48,
  cancellation: 48,
  escalation: 120,
};

type Priority = keyof typeof FIRST_RESPONSE_HOURS;

interface Draft {
  day: number;
  kind: TicketKind;
  tone: Tone;
  /** Escalations and cancellations stay unresolved while the account is a customer. */
  unresolved: boolean;
  reason?: string;
}

function priorityOf(kind: TicketKind, tone: Tone, rng: Rng): Priority {
  if (kind === "escalation") return "urgent";
  if (kind === "cancellation") return rng.bool(0.5) ? "high" : "normal";
  const severe = kind === "bug" || kind === "performance" || kind === "integration" || kind === "access";
  if (tone === "angry")
    return rng.weighted(["urgent", "high", "normal"] as const, severe ? [0.4, 0.5, 0.1] : [0.1, 0.5, 0.4]);
  if (tone === "negative")
    return rng.weighted(["urgent", "high", "normal"] as const, severe ? [0.1, 0.5, 0.4] : [0, 0.3, 0.7]);
  if (kind === "how_to" || kind === "feature_request") return rng.bool(0.5) ? "low" : "normal";
  return rng.weighted(["low", "normal", "high"] as const, [0.15, 0.7, 0.15]);
}

function cancellationReason(p: Profile, rng: Rng): string {
  switch (p.cause) {
    case "sudden:acquisition":
      return `Following our acquisition by ${p.acquirer}, we're consolidating on their tools.`;
    case "sudden:budget_cut":
      return rng.choice([
        "Due to budget cuts we have to drop non-essential tools.",
        "Our software budget was cut for next year.",
      ]);
    case "sudden:champion_left":
      return "With our main admin gone, nobody on our side owns the tool anymore.";
    default:
      return fill(
        rng.choice([
          "We're moving to {competitor}.",
          "The product hasn't worked out for our team.",
          "Adoption never took off internally.",
          "It's no longer worth the price for us.",
        ]),
        { competitor: p.competitor },
      );
  }
}

/** Tickets the plot calls for: escalations and cancellation requests before churn or during a dip. */
function storyTickets(p: Profile, rng: Rng): Draft[] {
  const out: Draft[] = [];
  const churn = p.churnDay;
  const h = (d: number): number => p.health[clamp(d, 0, p.health.length - 1)]!;
  if (churn !== null && p.cause === "gradual") {
    if (rng.bool(0.6)) {
      const day = churn - rng.int(10, 60);
      out.push({
        day,
        kind: "cancellation",
        tone: rng.bool(0.5) ? "angry" : "negative",
        unresolved: true,
        reason: cancellationReason(p, rng),
      });
    }
    const ds = p.declineStart ?? churn - 60;
    for (let i = rng.weighted([0, 1, 2], [0.4, 0.4, 0.2]); i > 0; i--) {
      const day = rng.int(Math.round(ds + 0.4 * (churn - ds)), churn - 3);
      out.push({ day, kind: "escalation", tone: toneFor(Math.min(h(day), 0.35), rng), unresolved: true });
    }
  } else if (churn !== null && rng.bool(0.35)) {
    out.push({
      day: churn - rng.int(5, 30),
      kind: "cancellation",
      tone: "neutral",
      unresolved: true,
      reason: cancellationReason(p, rng),
    });
  }
  if (p.dip !== null && rng.bool(0.3)) {
    out.push({
      day: rng.int(p.dip.start, p.dip.bottom),
      kind: "escalation",
      tone: "negative",
      unresolved: false,
    });
  }
  return out.filter((t) => t.day >= p.activeStart && t.day < p.activeEnd);
}

const hours = (h: number): number => Math.max(1, Math.round(h * 60));

/** Emits the account's tickets in the order they were opened. */
export function emitTickets(p: Profile, people: People, cal: Calendar, rng: Rng, emit: Emit): void {
  const drafts = storyTickets(p, rng);
  const base = MONTHLY_TICKETS[p.segment] / 30;
  for (let d = p.activeStart; d < p.activeEnd; d++) {
    const h = p.health[d]!;
    const weekend = cal.weekday(d) % 6 === 0 ? 0.25 : 1.15;
    const onboarding = p.startDay >= 0 && d - p.startDay < 60 ? 1.6 : 1;
    if (rng.next() >= base * weekend * onboarding * (0.45 + 2.8 * (1 - h) ** 2)) continue;
    const table = h >= 0.5 || rng.bool(h) ? HEALTHY_KINDS : UNHEALTHY_KINDS;
    const kind = rng.pick(table as Record<TicketKind, number>);
    drafts.push({ day: d, kind, tone: toneFor(h, rng), unresolved: false });
  }
  drafts.sort((a, b) => a.day - b.day);
  const windowEnd = cal.days * 1440;
  const endMinute = p.activeEnd * 1440;
  const churned = p.activeEnd < cal.days;
  let seq = 0;
  for (const t of drafts) {
    const h = p.health[t.day]!;
    const opened = t.day * 1440 + rng.int(7 * 60, 21 * 60);
    const priority = priorityOf(t.kind, t.tone, rng);
    const mention = rng.bool(
      t.kind === "cancellation"
        ? 0.15
        : 0.01 + 0.4 * (1 - h) ** 2 + (t.kind === "feature_request" ? 0.12 : 0),
    );
    const champion = championOn(people, t.day);
    const sender =
      t.kind === "billing" && people.billing && presentOn(people, t.day, ["billing"]).length > 0
        ? people.billing
        : t.kind === "cancellation" || t.kind === "escalation"
          ? (sponsorOn(people, t.day) ?? champion)
          : rng.bool(0.5) && champion
            ? champion
            : (rng.choice([...presentOn(people, t.day, ["user", "champion", "decision_maker"]), null]) ??
              champion);
    const feature: Feature = rng.bool(0.75) ? rng.choice(CORE_FEATURES) : rng.choice(SECONDARY_FEATURES);
    const { subject, body } = ticketText(
      t.kind,
      t.tone,
      {
        feature: FEATURE_LABELS[feature],
        competitor: someCompetitor(p.competitor, rng),
        plan: periodAt(p, t.day).plan,
        sender: sender?.first ?? "",
        reason: t.reason,
        mentionCompetitor: mention,
      },
      rng,
    );
    let first: number | null = opened + hours(rng.logNormal(FIRST_RESPONSE_HOURS[priority], 0.8));
    if (churned) first = Math.min(first, Math.max(opened + 1, endMinute - 1));
    const slow = 1 + (1 - h);
    let resolved: number | null = t.unresolved
      ? null
      : first + hours(rng.logNormal(RESOLUTION_HOURS[t.kind] * slow, 0.9));
    let status: "open" | "pending" | "solved" | "closed";
    if (churned && t.kind === "cancellation") {
      resolved = Math.max(first, endMinute - rng.int(0, 600));
      status = "closed";
    } else if (resolved !== null && resolved < Math.min(windowEnd, endMinute)) {
      status = resolved < windowEnd - 7 * 1440 ? "closed" : "solved";
    } else if (resolved !== null && churned) {
      resolved = endMinute;
      status = "closed";
    } else {
      resolved = null;
      status = first < Math.min(windowEnd, endMinute) && rng.bool(0.6) ? "pending" : "open";
    }
    if (first >= Math.min(windowEnd, endMinute)) first = null;
    const tags = [KIND_TAG[t.kind]];
    if (mention) tags.push("competitor");
    if (t.kind === "escalation" && t.tone !== "positive") tags.push("bug");
    const rec: Record<string, unknown> = {
      id: `tkt_${pad(p.index + 1, 5)}_${pad(++seq, 3)}`,
      account: p.id,
      contact: sender?.id,
      opened_at: cal.iso(opened),
      first_response_at: first === null ? null : cal.iso(first),
      resolved_at: resolved === null ? null : cal.iso(resolved),
      priority,
      status,
      subject,
      body,
      tags,
    };
    if (rec.contact === undefined) delete rec.contact;
    if (resolved !== null && t.kind !== "cancellation" && rng.bool(t.tone === "angry" ? 0.25 : 0.35)) {
      const slowPenalty = resolved - opened > 72 * 60 ? 0.6 : 0;
      rec.csat = Math.round(clamp(rng.normal(1.2 + 4 * h - slowPenalty, 0.7), 1, 5));
    }
    emit("tickets", rec);
  }
}
