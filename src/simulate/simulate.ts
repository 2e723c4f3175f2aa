/**
 * The simulation: account by account, build the account's plot, render its
 * whole history as records, hand them to the sink, then move on. Only one
 * account's records are in memory at a time, and each account draws from its
 * own sub-seeds, so the output never depends on batching.
 */

import { emitInvoices, emitSubscriptions } from "./billing.js";
import type { Calendar } from "./calendar.js";
import { buildPeople, emitContacts } from "./contacts.js";
import { emitOpportunities } from "./deals.js";
import { emitMeetings, emitSurveys, planMeetings } from "./engagement.js";
import { emitNotes } from "./notes.js";
import { makeWorld, type SimulateOptions, type World } from "./options.js";
import { Rng } from "./random.js";
import { AccountRecords } from "./signal-records.js";
import { plantSignals } from "./signals-plant.js";
import { type SignalTruth, signalTruth } from "./signals-truth.js";
import { type Emit, ENTITY_NAMES, type EntityName, type RecordSink, type SimRecord } from "./sink.js";
import { emitTickets } from "./support.js";
import { type AccountTruth, type TruthSink, truthOf } from "./truth.js";
import { emitUsage } from "./usage.js";
import { buildProfile, mrrOf, type Profile, pad, periodAt } from "./world.js";

export interface SimulateSummary {
  /** Records written per entity. */
  counts: Record<EntityName, number>;
  /** The window simulated: first day and the day after the last (YYYY-MM-DD). */
  start: string;
  end: string;
  accounts: number;
}

/** The next contract renewal on or after `day`. */
function renewalOnOrAfter(p: Profile, cal: Calendar, day: number): number {
  const known = p.renewals.find((r) => r >= day);
  if (known !== undefined) return known;
  const term = p.billing === "monthly" ? 1 : 12;
  let k = Math.max(1, Math.floor((day - p.startDay) / (31 * term)));
  while (cal.addMonths(p.startDay, k * term) < day) k++;
  return cal.addMonths(p.startDay, k * term);
}

function emitAccount(p: Profile, cal: Calendar, emit: Emit): void {
  const churned = p.activeEnd < cal.days;
  const last = periodAt(p, p.activeEnd - 1);
  const rec: SimRecord = {
    id: p.id,
    name: p.name,
    domain: p.domain,
    segment: p.segment,
    owner: p.owner,
    plan: last.plan,
    seats: last.seats,
    arr: Math.round(mrrOf(last) * 12 * 100) / 100,
    currency: "USD",
    renewal_date: cal.date(renewalOnOrAfter(p, cal, churned ? p.activeEnd : cal.days)),
    status: churned ? "churned" : "active",
    churned_at: churned ? cal.iso(p.activeEnd * 1440) : null,
  };
  if (churned && p.churnReason) rec.churn_reason = p.churnReason;
  emit("accounts", rec);
}

/**
 * Every record of account `index` (0-based), in a fixed order, through `emit`;
 * returns the account's truth. Pure: same world and index, same output.
 */
export function generateAccount(
  world: World,
  index: number,
  out: Emit,
  signals?: SignalTruth[],
): AccountTruth {
  const { cal, seed } = world;
  const p = buildProfile(world, index);
  const people = buildPeople(p, Rng.of(seed, index, "people"));
  // With signals, the account's records are held back while the planting changes them.
  const held = world.signals ? new AccountRecords(cal, pad(index + 1, 5)) : null;
  const emit = held ? held.emit : out;
  emitAccount(p, cal, emit);
  emitContacts(p, people, emit);
  emitSubscriptions(p, cal, emit);
  emitInvoices(p, cal, Rng.of(seed, index, "billing"), emit);
  emitOpportunities(p, cal, Rng.of(seed, index, "deals"), emit);
  const meetings = planMeetings(p, people, cal, Rng.of(seed, index, "meetings"));
  emitMeetings(p, meetings, cal, emit);
  emitNotes(p, people, meetings, cal, Rng.of(seed, index, "notes"), emit);
  emitSurveys(p, people, meetings, cal, Rng.of(seed, index, "surveys"), emit);
  emitTickets(p, people, cal, Rng.of(seed, index, "tickets"), emit);
  emitUsage(p, people, cal, world.metrics, Rng.of(seed, index, "usage"), emit);
  if (held) {
    const planted = plantSignals(seed, p, people, held);
    if (signals) signals.push(...signalTruth(p.id, held, planted));
    held.flush(out);
  }
  return truthOf(p, cal);
}

/**
 * Simulates a B2B SaaS company and writes its records to `sink` (and each
 * account's truth to `truth`, if given). Deterministic: the same options give
 * the same records in the same order. The caller closes the sinks.
 */
export async function simulate(
  options: SimulateOptions,
  sink: RecordSink,
  truth?: TruthSink,
): Promise<SimulateSummary> {
  const world = makeWorld(options);
  const counts = Object.fromEntries(ENTITY_NAMES.map((e) => [e, 0])) as Record<EntityName, number>;
  const entities: EntityName[] = [];
  const records: SimRecord[] = [];
  const emit: Emit = (entity, record) => {
    entities.push(entity);
    records.push(record);
  };
  const signals: SignalTruth[] = [];
  const wantSignals = truth?.signals !== undefined;
  for (let i = 0; i < world.accounts; i++) {
    const t = generateAccount(world, i, emit, wantSignals ? signals : undefined);
    for (let k = 0; k < records.length; k++) {
      const entity = entities[k]!;
      counts[entity]++;
      const wait = sink.write(entity, records[k]!);
      if (wait) await wait;
    }
    entities.length = 0;
    records.length = 0;
    if (truth) {
      const wait = truth.write(t);
      if (wait) await wait;
      const more = truth.signals?.(signals.splice(0));
      if (more) await more;
    }
  }
  return { counts, start: world.cal.date(0), end: world.cal.date(world.cal.days), accounts: world.accounts };
}
