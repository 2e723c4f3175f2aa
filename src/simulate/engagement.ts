/**
 * Meetings and surveys. Meetings keep a cadence per segment (onboarding,
 * training, check-ins, QBRs, EBRs before renewals, escalations in trouble);
 * whether they happen and whether executives come follows latent health.
 * NPS waves run twice a year; CSAT follows onboarding and training sessions.
 */
import type { Calendar } from "./calendar.js";
import { type Contact, championOn, type People, presentOn, sponsorOn } from "./contacts.js";
import { FEATURE_LABELS } from "./features.js";
import { INTEGRATIONS } from "./names.js";
import { npsComment } from "./note-text.js";
import { clamp, type Rng } from "./random.js";
import type { Emit } from "./sink.js";
import { type Profile, pad } from "./world.js";

export type MeetingKind = "qbr" | "ebr" | "check_in" | "onboarding" | "training" | "escalation";

export interface Meeting {
  day: number;
  minute: number;
  kind: MeetingKind;
  status: "held" | "cancelled" | "no_show";
  attendees: Contact[];
}

const CHECK_IN_DAYS = { smb: 90, mid_market: 45, enterprise: 30 } as const;

function cadence(from: number, to: number, every: number, jitter: number, rng: Rng): number[] {
  const out: number[] = [];
  for (let d = from + rng.int(0, every - 1); d < to; d += every + rng.int(-jitter, jitter)) out.push(d);
  return out;
}

/** Plans the account's meetings (sorted by time) and decides who came. */
export function planMeetings(p: Profile, people: People, cal: Calendar, rng: Rng): Meeting[] {
  const slots: Array<{ day: number; kind: MeetingKind }> = [];
  const from = p.activeStart;
  const to = p.activeEnd;
  const add = (day: number, kind: MeetingKind): void => {
    if (day >= from && day < to) slots.push({ day, kind });
  };
  if (p.startDay >= 0) {
    let d = p.startDay + rng.int(2, 10);
    add(d, "onboarding");
    for (let i = rng.int(1, 2); i > 0; i--) {
      d += rng.int(7, 20);
      add(d, "onboarding");
    }
    if (rng.bool(0.6)) add(p.startDay + rng.int(20, 60), "training");
  }
  for (let d = from + 60; d < to; d += 120)
    if (rng.bool(p.segment === "enterprise" ? 0.2 : 0.1)) add(d + rng.int(0, 119), "training");
  const every = CHECK_IN_DAYS[p.segment];
  for (const d of cadence(from + 14, to, every, Math.round(every / 6), rng)) {
    if (p.segment !== "smb" || rng.bool(0.5)) add(d, "check_in");
  }
  if (p.segment !== "smb") for (const d of cadence(from + 30, to, 91, 10, rng)) add(d, "qbr");
  else if (p.periods[0]!.seats > 15)
    for (const d of cadence(from + 30, to, 182, 15, rng)) if (rng.bool(0.5)) add(d, "qbr");
  if (p.segment === "enterprise" || (p.segment === "mid_market" && p.periods[0]!.seats > 100)) {
    for (const r of p.renewals) if (p.billing === "annual") add(r - rng.int(60, 90), "ebr");
  }
  if (p.declineStart !== null && p.churnDay !== null && rng.bool(0.6)) {
    const span = p.churnDay - p.declineStart;
    for (let i = rng.int(1, 2); i > 0; i--)
      add(p.declineStart + Math.round(span * rng.uniform(0.4, 0.95)), "escalation");
  }
  if (p.dip !== null && rng.bool(0.6)) add(p.dip.bottom + rng.int(-10, 10), "escalation");

  const meetings: Meeting[] = [];
  for (const slot of slots) {
    let day = slot.day;
    const wd = cal.weekday(day);
    if (wd === 6) day = day - 1 >= from ? day - 1 : day + 2;
    else if (wd === 0) day = day + 1 < to ? day + 1 : day - 2;
    if (day < from || day >= to) continue;
    const h = p.health[day]!;
    const firm = slot.kind === "onboarding" || slot.kind === "escalation";
    const present = presentOn(people, day);
    let status: Meeting["status"] = rng.bool(firm ? 0.92 : 0.2 + 0.78 * h)
      ? "held"
      : rng.bool(0.65)
        ? "cancelled"
        : "no_show";
    const attendees: Contact[] = [];
    if (status === "held") {
      const champion = championOn(people, day);
      const sponsor = sponsorOn(people, day);
      if (champion && rng.bool(0.92)) attendees.push(champion);
      const execP = {
        qbr: 0.1 + 0.75 * h,
        ebr: 0.2 + 0.75 * h,
        check_in: 0.03 + 0.12 * h,
        onboarding: 0.5,
        training: 0.02,
        escalation: 0.45,
      }[slot.kind];
      if (sponsor && rng.bool(clamp(execP, 0, 0.97))) attendees.push(sponsor);
      for (const c of people.deciders) {
        if (present.includes(c) && rng.bool(slot.kind === "qbr" || slot.kind === "ebr" ? 0.2 + 0.5 * h : 0.1))
          attendees.push(c);
      }
      const users = present.filter((c) => c.role === "user");
      const count =
        slot.kind === "training" ? rng.int(2, 5) : slot.kind === "onboarding" ? rng.int(1, 3) : rng.int(0, 1);
      for (const c of rng.sample(users, count)) attendees.push(c);
      if (attendees.length === 0) {
        if (present.length > 0) attendees.push(rng.choice(present));
        else status = "no_show";
      }
    }
    meetings.push({ day, minute: day * 1440 + 30 * rng.int(26, 42), kind: slot.kind, status, attendees });
  }
  meetings.sort((a, b) => a.minute - b.minute);
  return meetings;
}

export function emitMeetings(p: Profile, meetings: readonly Meeting[], cal: Calendar, emit: Emit): void {
  let seq = 0;
  for (const m of meetings) {
    emit("meetings", {
      id: `mtg_${pad(p.index + 1, 5)}_${pad(++seq, 3)}`,
      account: p.id,
      kind: m.kind,
      scheduled_at: cal.iso(m.minute),
      status: m.status,
      attendees: m.attendees.map((c) => c.id),
    });
  }
}

/** NPS waves twice a year, plus CSAT after onboarding and training sessions. */
export function emitSurveys(
  p: Profile,
  people: People,
  meetings: readonly Meeting[],
  cal: Calendar,
  rng: Rng,
  emit: Emit,
): void {
  const answers: Array<{
    minute: number;
    contact: Contact;
    kind: "nps" | "csat";
    score: number;
    comment?: string;
  }> = [];
  const vars = {
    competitor: p.competitor,
    feature: FEATURE_LABELS["dashboards.view"],
    integration: rng.choice(INTEGRATIONS),
  };
  const engaged = p.segment === "enterprise" ? 1.2 : p.segment === "smb" ? 0.8 : 1;
  cal.months.forEach((month, i) => {
    if (i % 6 !== 2) return;
    const wave = month.startDay + 3;
    for (const c of presentOn(people, wave, ["executive_sponsor", "champion", "decision_maker", "user"])) {
      const day = wave + rng.int(0, 10);
      if (day < p.activeStart || day >= p.activeEnd) continue;
      const h = p.health[day]!;
      if (!rng.bool(clamp((0.12 + 0.35 * h) * engaged, 0, 0.9))) continue;
      const score = Math.round(clamp(rng.normal(1.2 + 9.2 * h, 1.5), 0, 10));
      const comment = rng.bool(0.45) ? npsComment(score, vars, rng) : undefined;
      answers.push({
        minute: day * 1440 + rng.int(12 * 60, 23 * 60),
        contact: c,
        kind: "nps",
        score,
        comment,
      });
    }
  });
  for (const m of meetings) {
    if (m.status !== "held" || (m.kind !== "onboarding" && m.kind !== "training") || !rng.bool(0.35))
      continue;
    const contact = m.attendees[0];
    const minute = m.minute + 90 + rng.int(0, 2 * 1440);
    if (!contact || minute >= p.activeEnd * 1440) continue;
    const score = Math.round(clamp(rng.normal(1.8 + 3.2 * p.health[m.day]!, 0.7), 1, 5));
    answers.push({ minute, contact, kind: "csat", score });
  }
  answers.sort((a, b) => a.minute - b.minute);
  let seq = 0;
  for (const a of answers) {
    const rec: Record<string, unknown> = {
      id: `svy_${pad(p.index + 1, 5)}_${pad(++seq, 3)}`,
      account: p.id,
      contact: a.contact.id,
      ts: cal.iso(a.minute),
      kind: a.kind,
      score: a.score,
    };
    if (a.comment !== undefined) rec.comment = a.comment;
    emit("surveys", rec);
  }
}
