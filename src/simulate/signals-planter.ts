/**
 * What the signal planting works with: one account's records and people, the
 * stakeholders it has cut off, and how it writes a customer's words into a
 * ticket or note. See signals-plant.ts for what it plants.
 */
import { type Contact, championOn, type People, present, presentOn, sponsorOn } from "./contacts.js";
import { COMPETITORS as COMPETITOR_NAMES } from "./names.js";
import type { Rng } from "./random.js";
import { spokenName } from "./signal-competitors.js";
import type { AccountRecords } from "./signal-records.js";
import type { SimRecord } from "./sink.js";
import type { Profile } from "./world.js";

export type TextTag = "feature_parity_request" | "evaluating_alternatives" | "procurement_pushback";
export type DepartureWay = "inactive" | "role_change" | "bounce" | "note" | "usage";
export type DecoyKind = "ordinary_word" | "negated" | "negated_named" | "normal_deal";

export interface Planted {
  /** What planting wrote into a record's text, by "entity:id". */
  tags: Map<string, Set<TextTag>>;
  /** Departure notes naming a person: "entity:id" → the person's contact id. */
  departureNotes: Map<string, string>;
  /** Stakeholders made silent: no two-way contact on days [from, to). */
  silences: Array<{ contact: string; from: number; to: number }>;
  departures: Array<{ contact: string; day: number; way: DepartureWay }>;
  /** Deals given a history, and whether friction was planted in it. */
  deals: Array<{ id: string; friction: boolean }>;
  decoys: Array<{ kind: DecoyKind; key: string }>;
  /** Every record planting wrote text into. */
  texts: Set<string>;
}

export class Planter {
  readonly out: Planted = {
    tags: new Map(),
    departureNotes: new Map(),
    silences: [],
    departures: [],
    deals: [],
    decoys: [],
    texts: new Set(),
  };
  private readonly gone: Array<{ contact: string; from: number; to: number }> = [];

  constructor(
    readonly p: Profile,
    readonly people: People,
    readonly recs: AccountRecords,
    readonly rng: Rng,
  ) {}

  /** Whether a contact is out of touch on a day (departed or silenced by a plant). */
  quiet(id: unknown, day: number): boolean {
    return this.gone.some((g) => g.contact === id && day >= g.from && day < g.to);
  }

  /** Someone at the customer who can write on a day: the champion, the sponsor, anyone. */
  writer(day: number, not?: Contact): Contact | null {
    const ok = (c: Contact | null): c is Contact =>
      c !== null && c !== not && c.joinDay < this.p.activeEnd && !this.quiet(c.id, day);
    const champion = championOn(this.people, day);
    if (ok(champion)) return champion;
    const sponsor = sponsorOn(this.people, day);
    if (ok(sponsor)) return sponsor;
    return presentOn(this.people, day).find(ok) ?? null;
  }

  /** No two-way contact from `id` on days [from, to): their inbound notes, meetings and product use go. */
  cut(id: string, from: number, to: number): void {
    this.gone.push({ contact: id, from, to });
    const within = (v: unknown): boolean => {
      const d = this.recs.day(v);
      return d >= from && d < to;
    };
    for (const n of this.recs.of("notes"))
      if (n.contact === id && n.direction === "inbound" && within(n.ts)) this.recs.drop(n);
    for (const m of this.recs.of("meetings")) {
      const attendees = m.attendees as string[];
      if (attendees.includes(id) && within(m.scheduled_at)) m.attendees = attendees.filter((a) => a !== id);
    }
    for (const e of this.recs.of("events")) if (e.user === id && within(e.ts)) this.recs.drop(e);
  }

  /**
   * Writes `text` into the customer's words near `day`: appended to a ticket or
   * inbound note within 10 days (from `who`, when given), else a new inbound
   * email. Returns the record's "entity:id", or null when nobody can write.
   */
  say(day: number, text: string, tags: readonly TextTag[], who?: Contact | null): string | null {
    const { p, recs } = this;
    let best: { rec: SimRecord; entity: "tickets" | "notes"; dist: number } | null = null;
    for (const entity of ["tickets", "notes"] as const) {
      for (const rec of recs.of(entity)) {
        if (entity === "notes" && rec.direction !== "inbound") continue;
        if (who && rec.contact !== who.id) continue;
        const d = recs.day(entity === "tickets" ? rec.opened_at : rec.ts);
        const dist = Math.abs(d - day);
        if (dist > 10 || (rec.contact !== undefined && this.quiet(rec.contact, d))) continue;
        if (best === null || dist < best.dist) best = { rec, entity, dist };
      }
    }
    let key: string;
    if (best) {
      const { rec, entity } = best;
      if (entity === "tickets") {
        const lines = String(rec.body).split("\n");
        lines.splice(Math.max(1, lines.length - 2), 0, text);
        rec.body = lines.join("\n");
      } else rec.text = `${rec.text} ${text}`;
      key = `${entity}:${rec.id}`;
    } else {
      const person = who && !this.quiet(who.id, day) && present(who, day) ? who : this.writer(day);
      if (!person || day < p.activeStart || day >= p.activeEnd) return null;
      const rec = recs.add("notes", "note", {
        account: p.id,
        contact: person.id,
        ts: recs.cal.iso(day * 1440 + this.rng.int(14 * 60, 21 * 60)),
        channel: "email",
        direction: "inbound",
        text,
      });
      key = `notes:${rec.id}`;
    }
    this.out.texts.add(key);
    if (tags.length > 0) {
      const set = this.out.tags.get(key) ?? new Set<TextTag>();
      for (const t of tags) set.add(t);
      this.out.tags.set(key, set);
    }
    return key;
  }

  competitor(): string {
    const name = this.rng.bool(0.8) ? this.p.competitor : this.rng.choice(COMPETITOR_NAMES);
    return spokenName(name, this.rng.bool(0.5));
  }

  contactRecord(id: string): SimRecord | undefined {
    return this.recs.of("contacts").find((c) => c.id === id);
  }
}

/**
 * The story's own facts, dated so they read point in time: people who left
 * get the day they left (inactive_since); a renewal lost to a competitor says
 * to whom (competitor, lost_reason).
 */
export function dateStory(pl: Planter): void {
  for (const c of pl.people.all) {
    if (c.leaveDay === null || c.leaveDay >= pl.p.activeEnd) continue;
    const rec = pl.contactRecord(c.id);
    if (rec) rec.inactive_since = pl.recs.cal.date(c.leaveDay);
  }
  if (pl.p.churnReason?.startsWith("Switched to ")) {
    const lost = pl.recs.of("opportunities").find((o) => o.kind === "renewal" && o.status === "lost");
    if (lost) {
      lost.competitor = pl.p.competitor;
      lost.lost_reason = `Went with ${pl.p.competitor} at renewal.`;
    }
  }
}
