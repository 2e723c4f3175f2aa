/**
 * Plants signals in one account's records, from the account's own sub-seed:
 * on churners (most, 30–150 days before they leave) and on a few accounts
 * that stay — competitors named, parity asks, evaluations (in ticket and note
 * text), a stakeholder gone silent, a champion departing, friction in a
 * renewal deal — and decoys on healthy accounts. What was planted goes to
 * signals-truth.ts, which writes the truth.
 */
import { type Contact, type People, present } from "./contacts.js";
import { Rng } from "./random.js";
import type { AccountRecords } from "./signal-records.js";
import * as L from "./signal-text.js";
import { type Friction, giveHistory } from "./signals-deals.js";
import { dateStory, type Planted, Planter } from "./signals-planter.js";
import type { SimRecord } from "./sink.js";
import type { Profile } from "./world.js";

export type { DecoyKind, DepartureWay, Planted, TextTag } from "./signals-planter.js";

type Story = "gradual" | "sudden" | "at_risk" | "stayer";
type Rates = Record<
  "mention" | "parity" | "evaluating" | "silence" | "departure" | "friction" | "decoy",
  number
>;
const RATES: Readonly<Record<Story, Rates>> = {
  gradual: {
    mention: 0.6,
    parity: 0.45,
    evaluating: 0.5,
    silence: 0.4,
    departure: 0.3,
    friction: 0.55,
    decoy: 0,
  },
  sudden: {
    mention: 0.12,
    parity: 0.06,
    evaluating: 0.25,
    silence: 0.35,
    departure: 0.15,
    friction: 0.45,
    decoy: 0,
  },
  at_risk: {
    mention: 0.12,
    parity: 0.1,
    evaluating: 0.08,
    silence: 0.08,
    departure: 0.06,
    friction: 0.25,
    decoy: 0.2,
  },
  stayer: {
    mention: 0.04,
    parity: 0.03,
    evaluating: 0.02,
    silence: 0.03,
    departure: 0.04,
    friction: 0.03,
    decoy: 0.3,
  },
};

const storyOf = (p: Profile): Story =>
  p.churnDay !== null
    ? p.cause === "gradual"
      ? "gradual"
      : "sudden"
    : p.dip !== null
      ? "at_risk"
      : "stayer";

function plantDeparture(pl: Planter, person: Contact, day: number): void {
  const { rng, recs } = pl;
  let way = rng.weighted(
    ["inactive", "role_change", "bounce", "note", "usage"] as const,
    [0.35, 0.2, 0.15, 0.2, 0.1],
  );
  if (way === "usage" && person.role !== "champion") way = "note";
  const rec = pl.contactRecord(person.id);
  if (!rec) return;
  const end = pl.p.activeEnd;
  if (way === "role_change") {
    rec.previous_role = rec.role;
    rec.role = "user";
    rec.role_changed_at = recs.cal.date(day);
  } else {
    if (way === "inactive") {
      rec.active = false;
      rec.inactive_since = recs.cal.date(day);
    } else if (way === "bounce") {
      rec.email_bounced_at = recs.cal.iso(Math.min(end - 1, day + rng.int(3, 20)) * 1440 + rng.int(0, 1439));
    } else if (way === "note") {
      const d = Math.min(end - 1, day + rng.int(2, 20));
      const colleague = pl.writer(d, person);
      const text = L.line(L.DEPARTURE_LINES, { person: person.name }, rng);
      const key = colleague
        ? pl.say(d, text, [], colleague)
        : `notes:${
            recs.add("notes", "note", {
              account: pl.p.id,
              ts: recs.cal.iso(d * 1440 + rng.int(15 * 60, 20 * 60)),
              channel: "note",
              text: `Heard from the team that ${person.name} is no longer with the company.`,
            }).id
          }`;
      if (key) pl.out.departureNotes.set(key, person.id);
    }
    pl.cut(person.id, day, end);
  }
  pl.out.departures.push({ contact: person.id, day, way });
}

function plantSilence(pl: Planter, person: Contact, from: number, to: number): void {
  const { rng, recs, p } = pl;
  // Regularly in touch before: short replies every week or two.
  for (
    let d = Math.max(person.joinDay, p.activeStart, from - 150) + rng.int(0, 5);
    d < from;
    d += rng.int(6, 13)
  ) {
    if (pl.quiet(person.id, d)) continue;
    recs.add("notes", "note", {
      account: p.id,
      contact: person.id,
      ts: recs.cal.iso(d * 1440 + rng.int(13 * 60, 21 * 60)),
      channel: rng.bool(0.8) ? "email" : "chat",
      direction: "inbound",
      text: L.line(L.FILLER_LINES, {}, rng),
    });
  }
  pl.cut(person.id, from, to);
  pl.out.silences.push({ contact: person.id, from, to });
}

function plantFriction(pl: Planter, deal: SimRecord, close: number, friction: boolean): void {
  const { rng, p } = pl;
  const open = Math.max(p.activeStart, close - rng.int(100, 150));
  let f: Friction;
  if (friction) {
    f = {
      slips: rng.bool(0.5) ? 2 : 0,
      back: rng.bool(0.35),
      discount: rng.bool(0.5) ? rng.choice([40, 45, 50]) : null,
    };
    const pushback = rng.bool(0.45) || (f.slips === 0 && !f.back && f.discount === null);
    if (pushback) {
      const day = open + Math.round((close - open) * rng.uniform(0.45, 0.8));
      const who = pl.people.deciders.find((c) => present(c, day)) ?? pl.people.billing ?? null;
      pl.say(day, L.line(L.PUSHBACK_LINES, {}, rng), ["procurement_pushback"], who);
    }
  } else f = { slips: 1, back: false, discount: rng.choice([5, 10]) };
  giveHistory(deal, open, close, f, pl.recs.cal, rng);
  pl.out.deals.push({ id: String(deal.id), friction });
}

function decoy(pl: Planter, day: number, renewals: SimRecord[]): void {
  const { rng } = pl;
  const kind = rng.weighted(
    ["ordinary_word", "negated", "negated_named", "normal_deal"] as const,
    [0.3, 0.3, 0.2, 0.2],
  );
  if (kind === "normal_deal") {
    const deal = renewals.length > 0 ? rng.choice(renewals) : null;
    if (deal) {
      plantFriction(pl, deal, pl.recs.day(deal.close_date), false);
      pl.out.decoys.push({ kind, key: `opportunities:${deal.id}` });
    }
    return;
  }
  const lines =
    kind === "ordinary_word"
      ? L.ORDINARY_WORD_LINES
      : kind === "negated"
        ? L.NEGATED_LINES
        : L.NEGATED_NAMED_LINES;
  const key = pl.say(day, L.line(lines, { c: pl.competitor() }, rng), []);
  if (key) pl.out.decoys.push({ kind, key });
}

/** Plants the account's signals in `recs` (changing them in place) and says what it planted. */
export function plantSignals(seed: string, p: Profile, people: People, recs: AccountRecords): Planted {
  const rng = Rng.of(seed, p.index, "signals");
  const pl = new Planter(p, people, recs, rng);
  dateStory(pl);
  const D = recs.cal.days;
  const story = storyOf(p);
  const r = RATES[story];
  const churn = p.churnDay;
  const lo = churn !== null ? Math.max(p.activeStart + 20, churn - 150) : p.activeStart + 60;
  const hi = churn !== null ? Math.min(churn - 30, D - 1) : p.activeEnd - 20;
  const draw = {
    mention: rng.bool(r.mention),
    parity: rng.bool(r.parity),
    evaluating: rng.bool(r.evaluating),
    silence: rng.bool(r.silence),
    departure: rng.bool(r.departure),
    friction: rng.bool(r.friction),
    decoys: rng.bool(r.decoy) ? rng.int(1, 2) : 0,
  };
  if (hi < lo) return pl.out;
  const day = (): number => rng.int(lo, hi);
  const renewals = recs
    .of("opportunities")
    .filter((o) => o.kind === "renewal" && o.status === "won" && recs.day(o.close_date) < D)
    .filter((o) => recs.day(o.close_date) >= p.activeStart + 150);

  let departed: Contact | null = null;
  if (draw.departure) {
    const d = day();
    const lead = rng.bool(0.7) ? people.champion : people.sponsor;
    if (lead && lead.leaveDay === null && lead.joinDay < d - 60 && present(lead, d)) {
      plantDeparture(pl, lead, d);
      departed = lead;
    }
  }
  if (draw.silence) {
    const candidates = [people.sponsor, people.deciders[0] ?? null, people.champion].filter(
      (c): c is Contact => c !== null && c !== departed && c.leaveDay === null,
    );
    const person = candidates.length > 0 ? (rng.bool(0.6) ? candidates[0]! : rng.choice(candidates)) : null;
    const from = churn !== null ? rng.int(lo, Math.max(lo, Math.min(hi, churn - 75))) : day();
    const to = churn !== null ? p.activeEnd : Math.min(p.activeEnd, from + rng.int(90, 160));
    if (person && person.joinDay < from - 90) plantSilence(pl, person, from, to);
  }
  if (draw.mention) pl.say(day(), L.line(L.MENTION_LINES, { c: pl.competitor() }, rng), []);
  if (draw.parity) {
    const named = rng.bool(0.75);
    const text = L.line(named ? L.PARITY_LINES : L.PARITY_UNNAMED_LINES, { c: pl.competitor() }, rng);
    pl.say(day(), text, ["feature_parity_request"]);
  }
  if (draw.evaluating) {
    const named = rng.bool(0.7);
    const text = L.line(named ? L.EVALUATING_LINES : L.EVALUATING_UNNAMED_LINES, { c: pl.competitor() }, rng);
    pl.say(day(), text, ["evaluating_alternatives"]);
  }
  if (draw.friction) {
    const lost =
      churn !== null && churn < D
        ? recs.of("opportunities").find((o) => o.kind === "renewal" && o.status === "lost")
        : undefined;
    const deal = lost ?? (churn === null && renewals.length > 0 ? rng.choice(renewals) : undefined);
    if (deal) plantFriction(pl, deal, recs.day(deal.close_date), true);
  }
  for (let i = 0; i < draw.decoys; i++)
    decoy(
      pl,
      day(),
      renewals.filter((o) => !o.history),
    );
  return pl.out;
}
