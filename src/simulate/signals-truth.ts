/**
 * The signals' truth: for every signal present in an account's records —
 * planted, or told by the story (a champion who left, a competitor named in
 * a complaint) — when a detector looking at facts strictly before a day
 * should see it. One line per stretch: {account, kind, contact, competitor,
 * from, to} (dates inclusive; `to` null while it lasts past the window).
 * Decoys are not truth. Written to signals-truth.ndjson beside truth.ndjson.
 */
import type { SignalKind } from "../signals/kinds.js";
import { SIGNAL_COMPETITORS } from "./signal-competitors.js";
import type { AccountRecords } from "./signal-records.js";
import type { Planted, TextTag } from "./signals-plant.js";
import { frictionDays, LEADS, roleAt, silenceDays, stoppedUseDays, touchDays } from "./signals-spec.js";
import type { SimRecord } from "./sink.js";

export interface SignalTruth {
  account: string;
  kind: SignalKind;
  contact: string | null;
  competitor: string | null;
  /** The first day (YYYY-MM-DD) a detector run as of that day should report it. */
  from: string;
  /** The last such day, or null when it lasts past the window. */
  to: string | null;
  /** planted: by the signal planting; story: by the simulated story itself. */
  origin: "planted" | "story";
}

/** How long text evidence counts (days), as the detectors read it. */
export const TEXT_DAYS = 90;
export const LOST_DEAL_DAYS = 180;
export const DEPARTURE_DAYS = 120;

/** Sentences of the simulator's own story templates that carry a signal (see text.ts and note-text.ts). */
const STORY_TAGS: ReadonlyArray<[RegExp, TextTag | "departure"]> = [
  [/ has this out of the box\./, "feature_parity_request"],
  [/ already has it\./, "feature_parity_request"],
  // Users preferring how a competitor does it, in a ticket about a feature: asking for the same.
  [/A few of our users prefer how [^\n]+ handles this\./, "feature_parity_request"],
  [/, the way [^,?\n]+ has it\?/, "feature_parity_request"],
  [/We need [^\n]+ like [^\n]+ has\./, "feature_parity_request"],
  [/We're comparing you against /, "evaluating_alternatives"],
  [/We are considering alternatives\./, "evaluating_alternatives"],
  [/look at other options, including /, "evaluating_alternatives"],
  [/We're moving to /, "evaluating_alternatives"],
  [/Finance is pushing back on the renewal\./, "procurement_pushback"],
  [/all renewals need CFO approval\./, "procurement_pushback"],
  [/froze all new software spend/, "procurement_pushback"],
  [/I'm leaving the company at the end of the month\./, "departure"],
  [/My last day is in two weeks\./, "departure"],
];

const NAME_PATTERNS = SIGNAL_COMPETITORS.map((c) => ({
  name: c.name,
  re: new RegExp(`(?<![\\p{L}\\p{N}])(?:${[c.name, ...c.aliases].join("|")})(?![\\p{L}\\p{N}])`, "u"),
}));

/** The competitors a text names (as names: case-sensitive, whole words). */
export function competitorsNamed(text: string): string[] {
  return NAME_PATTERNS.filter((p) => p.re.test(text)).map((p) => p.name);
}

class Spans {
  readonly on = new Map<
    string,
    {
      kind: SignalKind;
      contact: string | null;
      competitor: string | null;
      days: Uint8Array;
      planted: boolean;
    }
  >();
  constructor(private readonly size: number) {}
  mark(
    kind: SignalKind,
    contact: string | null,
    competitor: string | null,
    from: number,
    to: number,
    planted: boolean,
  ): void {
    const key = `${kind}|${contact ?? ""}|${kind === "competitor_mention" ? competitor : ""}`;
    let s = this.on.get(key);
    if (!s) {
      s = { kind, contact, competitor, days: new Uint8Array(this.size), planted: false };
      this.on.set(key, s);
    }
    if (!s.competitor && competitor) s.competitor = competitor;
    s.planted ||= planted;
    for (let d = Math.max(0, from); d <= Math.min(this.size - 1, to); d++) s.days[d] = 1;
  }
  markDays(kind: SignalKind, contact: string, days: Uint8Array, planted: boolean): void {
    for (let d = 0; d < days.length; d++) if (days[d]) this.mark(kind, contact, null, d, d, planted);
  }
}

/** The account's signal truth, from its final records and what was planted. */
export function signalTruth(account: string, recs: AccountRecords, planted: Planted): SignalTruth[] {
  const { cal } = recs;
  const D = cal.days;
  const spans = new Spans(D + LOST_DEAL_DAYS + 2);
  const pushback: number[] = [];
  const departures: Array<{ contact: string; day: number; planted: boolean }> = [];
  const text = (entity: string, rec: SimRecord, body: string, day: number): void => {
    const key = `${entity}:${rec.id}`;
    const isPlanted = planted.texts.has(key);
    const names = competitorsNamed(body);
    for (const n of names) spans.mark("competitor_mention", null, n, day + 1, day + TEXT_DAYS, isPlanted);
    const tags = new Set<string>(planted.tags.get(key) ?? []);
    for (const [re, tag] of STORY_TAGS) if (re.test(body)) tags.add(tag);
    for (const tag of tags) {
      if (tag === "feature_parity_request" || tag === "evaluating_alternatives")
        spans.mark(tag, null, names[0] ?? null, day + 1, day + TEXT_DAYS, isPlanted);
      else if (tag === "procurement_pushback") pushback.push(day);
      else if (typeof rec.contact === "string")
        departures.push({ contact: rec.contact, day, planted: false });
    }
    const named = planted.departureNotes.get(key);
    if (named) departures.push({ contact: named, day, planted: true });
  };
  for (const t of recs.of("tickets")) text("tickets", t, `${t.subject}\n${t.body}`, recs.day(t.opened_at));
  for (const n of recs.of("notes")) text("notes", n, String(n.text), recs.day(n.ts));
  for (const s of recs.of("surveys")) if (s.comment) text("surveys", s, String(s.comment), recs.day(s.ts));
  const deals = recs.of("opportunities");
  for (const o of deals) {
    if (o.status !== "lost" || !(o.competitor || o.lost_reason)) continue;
    const day = recs.day(o.close_date);
    const names = new Set([
      ...(o.competitor ? [String(o.competitor)] : []),
      ...competitorsNamed(String(o.lost_reason ?? "")),
    ]);
    for (const n of names) spans.mark("competitor_mention", null, n, day + 1, day + LOST_DEAL_DAYS, false);
  }

  // Departures: marked inactive, role changed away, email bouncing, told in a note, use stopped.
  const touches = touchDays(recs);
  const plantedGone = new Set(planted.departures.map((d) => d.contact));
  const contacts = recs.of("contacts");
  for (const c of contacts) {
    const id = String(c.id);
    const mine = plantedGone.has(id);
    const lead = (T: number): boolean => LEADS.includes(roleAt(c, recs, T));
    const window = (day: number, asLead: boolean, isPlanted: boolean): void => {
      for (let T = day + 1; T <= day + DEPARTURE_DAYS; T++)
        if (!asLead || lead(T)) spans.mark("champion_departure", id, null, T, T, isPlanted);
    };
    if (c.inactive_since) window(recs.day(c.inactive_since), true, mine);
    if (c.role_changed_at && LEADS.includes(String(c.previous_role)))
      window(recs.day(c.role_changed_at), false, mine);
    if (c.email_bounced_at) window(recs.day(c.email_bounced_at), true, mine);
    for (const d of departures) if (d.contact === id) window(d.day, true, d.planted || mine);
    const own = ownUse(recs, id);
    if (own.length > 0)
      spans.markDays("champion_departure", id, stoppedUseDays(c, own, otherUse(recs, id), recs, D), mine);
    const days = touches.get(id);
    if (days && days.length >= 4) {
      const silent = planted.silences.some((s) => s.contact === id);
      spans.markDays("stakeholder_silence", id, silenceDays(c, days, recs, D), silent || mine);
    }
  }

  // Friction in deals with a history.
  for (const o of deals) {
    if (!Array.isArray(o.history) || o.history.length === 0) continue;
    const days = frictionDays(
      o,
      deals.filter((x) => x !== o),
      pushback,
      recs,
      D,
    );
    const isPlanted = planted.deals.some((d) => d.id === o.id && d.friction);
    for (let T = 0; T < days.length; T++)
      if (days[T]) spans.mark("negotiation_friction", null, null, T, T, isPlanted);
  }
  return linesOf(account, spans, recs, D);
}

const ownUse = (recs: AccountRecords, id: string): number[] => recs.userDays().get(id) ?? [];
function otherUse(recs: AccountRecords, id: string): number[] {
  const all = new Set<number>();
  for (const [u, days] of recs.userDays()) if (u !== id) for (const d of days) all.add(d);
  return [...all].sort((a, b) => a - b);
}

function linesOf(account: string, spans: Spans, recs: AccountRecords, D: number): SignalTruth[] {
  const out: SignalTruth[] = [];
  for (const s of spans.on.values()) {
    let start = -1;
    for (let d = 0; d <= s.days.length; d++) {
      const v = d < s.days.length ? s.days[d] : 0;
      if (v && start < 0) start = d;
      if (!v && start >= 0) {
        const last = d - 1;
        out.push({
          account,
          kind: s.kind,
          contact: s.contact,
          competitor: s.competitor,
          from: recs.cal.date(start),
          to: last >= D && s.kind === "stakeholder_silence" ? null : recs.cal.date(last),
          origin: s.planted ? "planted" : "story",
        });
        start = -1;
      }
    }
  }
  const order = (t: SignalTruth): string => `${t.kind}|${t.contact ?? ""}|${t.competitor ?? ""}|${t.from}`;
  return out.sort((a, b) => order(a).localeCompare(order(b)));
}
