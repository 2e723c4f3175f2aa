/**
 * Emails, calls, chats and CSM notes in both directions. The CSM writes on a
 * cadence; customers answer and write on their own as often as their health
 * allows, and go quiet for stretches (long ones before a gradual churn).
 * Plot points surface here too: an acquisition, a budget freeze, a champion
 * who leaves or hands over, a discount request before a renewal.
 */
import type { Calendar } from "./calendar.js";
import { type Contact, championOn, type People, presentOn, sponsorOn } from "./contacts.js";
import type { Meeting } from "./engagement.js";
import { CORE_FEATURES, FEATURE_LABELS } from "./features.js";
import { INTEGRATIONS } from "./names.js";
import { inboundTopic, type NoteTopic, noteText } from "./note-text.js";
import type { Rng } from "./random.js";
import type { Emit } from "./sink.js";
import { toneFor } from "./text.js";
import { type Profile, pad } from "./world.js";

type Channel = "email" | "call" | "chat" | "meeting" | "note";

interface Note {
  minute: number;
  channel: Channel;
  direction?: "inbound" | "outbound";
  contact?: Contact;
  text: string;
}

const TOUCH_DAYS = { smb: 28, mid_market: 14, enterprise: 9 } as const;
const INBOUND_PER_DAY = { smb: 0.015, mid_market: 0.03, enterprise: 0.06 } as const;
const TEAMS = ["Sales", "Support", "Finance", "Marketing", "Operations", "Customer Success"];
const MEETING_LABEL = {
  qbr: "QBR",
  ebr: "Executive review",
  check_in: "Check-in",
  onboarding: "Onboarding",
  training: "Training",
  escalation: "Escalation call",
} as const;

function silences(p: Profile, rng: Rng): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (p.activeEnd - p.activeStart > 90 && rng.bool(0.35)) {
    const s = rng.int(p.activeStart, p.activeEnd - 30);
    out.push([s, s + rng.int(30, 75)]);
  }
  if (p.declineStart !== null && p.churnDay !== null && rng.bool(0.75)) {
    out.push([Math.round(p.declineStart + 0.3 * (p.churnDay - p.declineStart)), p.churnDay]);
  }
  if (p.dip !== null && rng.bool(0.5)) out.push([p.dip.start + 15, p.dip.end - 10]);
  if (p.cause === "sudden:champion_left" && p.championLeaveDay !== null && rng.bool(0.6)) {
    out.push([p.championLeaveDay, p.churnDay ?? p.activeEnd]);
  }
  return out;
}

export function emitNotes(
  p: Profile,
  people: People,
  meetings: readonly Meeting[],
  cal: Calendar,
  rng: Rng,
  emit: Emit,
): void {
  const notes: Note[] = [];
  const quiet = silences(p, rng);
  const silent = (d: number): boolean => quiet.some(([a, b]) => d >= a && d < b);
  const at = (d: number): number => d * 1440 + rng.int(13 * 60, 22 * 60);
  const vars = (contact?: Contact, extra: Record<string, string> = {}): Record<string, string> => ({
    feature: FEATURE_LABELS[rng.choice(CORE_FEATURES)],
    competitor: p.competitor,
    integration: rng.choice(INTEGRATIONS),
    first: contact?.first ?? "there",
    team: rng.choice(TEAMS),
    n: String(rng.int(3, 25)),
    ...extra,
  });
  const someone = (d: number): Contact | undefined =>
    championOn(people, d) ?? sponsorOn(people, d) ?? presentOn(people, d)[0] ?? undefined;
  const inbound = (
    d: number,
    topic: NoteTopic,
    contact: Contact | undefined,
    extra?: Record<string, string>,
  ): void => {
    if (!contact) return;
    notes.push({
      minute: at(d),
      channel: rng.bool(0.8) ? "email" : "chat",
      direction: "inbound",
      contact,
      text: noteText(topic, vars(contact, extra), rng),
    });
  };

  let unanswered = 0;
  const renewalsMentioned = new Set<number>();
  const gap = TOUCH_DAYS[p.segment];
  for (
    let d = p.activeStart + rng.int(1, gap);
    d < p.activeEnd;
    d += Math.max(2, Math.round(rng.logNormal(gap, 0.5)))
  ) {
    const h = p.health[d]!;
    const contact = someone(d);
    let channel = rng.weighted(["email", "call", "chat", "note"] as const, [0.6, 0.2, 0.05, 0.15]);
    if (!contact) channel = "note";
    if (channel === "note") {
      const risky = h < 0.5 || silent(d) || unanswered >= 2;
      notes.push({
        minute: at(d),
        channel,
        text: noteText(risky ? "internal_risk" : "internal_healthy", vars(contact), rng),
      });
      continue;
    }
    const upcoming =
      p.billing === "annual"
        ? p.renewals.find((r) => r - d >= 30 && r - d <= 75 && !renewalsMentioned.has(r))
        : undefined;
    let topic: NoteTopic;
    if (unanswered >= 2) topic = "no_reply";
    else if (upcoming !== undefined) {
      topic = "renewal";
      renewalsMentioned.add(upcoming);
    } else if (p.expansionDays.some((e) => e - d > 0 && e - d <= 45)) topic = "expansion";
    else
      topic = rng.weighted(["check_in", "release", "ticket_follow_up"] as const, [
        0.65,
        0.15,
        h < 0.6 ? 0.2 : 0.05,
      ]);
    notes.push({
      minute: at(d),
      channel,
      direction: "outbound",
      contact,
      text: noteText(topic, vars(contact, { date: cal.date(upcoming ?? d) }), rng),
    });
    if (rng.bool(silent(d) ? 0.03 : 0.15 + 0.7 * h ** 1.3)) {
      unanswered = 0;
      if (channel !== "call") {
        const tone = toneFor(h, rng);
        const reply: NoteTopic =
          tone === "angry"
            ? "complaint"
            : tone === "negative" && rng.bool(0.5)
              ? "complaint"
              : rng.bool(0.2)
                ? "praise"
                : "reply";
        const r = d + rng.int(0, 3);
        if (r < p.activeEnd)
          notes.push({
            minute: at(r),
            channel,
            direction: "inbound",
            contact,
            text: noteText(reply, vars(contact), rng),
          });
      }
    } else unanswered++;
  }

  for (let d = p.activeStart; d < p.activeEnd; d++) {
    const h = p.health[d]!;
    if (silent(d) || !rng.bool(INBOUND_PER_DAY[p.segment] * (0.3 + h))) continue;
    const contact = rng.bool(0.5)
      ? (championOn(people, d) ?? undefined)
      : rng.choice([...presentOn(people, d), undefined]);
    inbound(d, inboundTopic(toneFor(h, rng), rng), contact);
  }

  const chief = (d: number): Contact | undefined =>
    sponsorOn(people, d) ?? championOn(people, d) ?? undefined;
  if (p.noticeDay !== null && rng.bool(0.5)) {
    const d = p.noticeDay + rng.int(0, 10);
    inbound(d, p.cause === "sudden:acquisition" ? "acquisition" : "budget_freeze", chief(d), {
      acquirer: p.acquirer ?? "",
    });
  }
  if (p.championLeaveDay !== null && rng.bool(0.6)) {
    const d = p.championLeaveDay - rng.int(3, 14);
    inbound(d, "champion_leaving", championOn(people, d) ?? undefined);
  }
  const next = people.nextChampion;
  if (next !== null && rng.bool(0.8)) inbound(next.joinDay, "champion_handover", next, { name: next.name });
  if (p.concessionDay !== null && rng.bool(0.8)) {
    const d = p.concessionDay - rng.int(20, 50);
    inbound(d, "discount", chief(d));
  }

  for (const m of meetings) {
    if (m.status !== "held" || !rng.bool(0.6)) continue;
    notes.push({
      minute: m.minute + 60 + rng.int(0, 180),
      channel: "meeting",
      contact: m.attendees[0],
      text: `${MEETING_LABEL[m.kind]}: ${noteText("meeting", vars(m.attendees[0]), rng)}`,
    });
  }

  const lo = p.activeStart * 1440;
  const hi = p.activeEnd * 1440;
  const kept = notes.filter((n) => n.minute >= lo && n.minute < hi).sort((a, b) => a.minute - b.minute);
  let seq = 0;
  for (const n of kept) {
    const rec: Record<string, unknown> = {
      id: `note_${pad(p.index + 1, 5)}_${pad(++seq, 3)}`,
      account: p.id,
    };
    if (n.contact) rec.contact = n.contact.id;
    rec.ts = cal.iso(n.minute);
    rec.channel = n.channel;
    if (n.direction) rec.direction = n.direction;
    rec.text = n.text;
    emit("notes", rec);
  }
}
