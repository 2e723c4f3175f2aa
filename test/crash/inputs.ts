import { once } from "node:events";
import { createWriteStream, writeFileSync } from "node:fs";

/** A deterministic set of product events over accounts `<prefix>acc_<i>`, ids `<prefix>evt_<i>`. */
export interface EventSpec {
  prefix: string;
  events: number;
  accounts: number;
}

/** What a set of events gives: its count, its value sum, and how many roll-up rows (groups) it makes. */
export interface EventTotals {
  events: number;
  value: number;
  userDays: number;
  featureDays: number;
}

export function accountIds(prefix: string, accounts: number): string[] {
  return Array.from({ length: accounts }, (_, i) => `${prefix}acc_${i}`);
}

/**
 * The events, the way a product emits them (the shape bench/ingest.ts
 * writes): in time order, ~12 a day per account, six users per account,
 * nine features, values 1–3.
 */
export function* eventsOf(spec: EventSpec): Generator<Record<string, unknown>> {
  const day0 = Date.UTC(2025, 0, 1);
  const perDay = spec.accounts * 12;
  let rnd = 42;
  const next = () => {
    rnd = (rnd * 1_103_515_245 + 12_345) % 2_147_483_648;
    return rnd / 2_147_483_648;
  };
  for (let i = 0; i < spec.events; i++) {
    const day = Math.floor(i / perDay);
    const a = Math.floor(next() * spec.accounts);
    yield {
      id: `${spec.prefix}evt_${i}`,
      account: `${spec.prefix}acc_${a}`,
      user: `u_${a}_${Math.floor(next() * 6)}`,
      ts: new Date(day0 + day * 86_400_000 + Math.floor(next() * 86_400_000)).toISOString(),
      name: `feature_${Math.floor(next() * 9)}`,
      value: 1 + (i % 3),
    };
  }
}

export function totalsOf(spec: EventSpec): EventTotals {
  const users = new Set<string>();
  const features = new Set<string>();
  let value = 0;
  for (const e of eventsOf(spec)) {
    const day = (e.ts as string).slice(0, 10);
    users.add(`${day} ${e.account} ${e.user}`);
    features.add(`${day} ${e.account} ${e.name}`);
    value += e.value as number;
  }
  return { events: spec.events, value, userDays: users.size, featureDays: features.size };
}

/** Writes the events as NDJSON, streamed. */
export async function writeEventsFile(path: string, spec: EventSpec): Promise<void> {
  const out = createWriteStream(path);
  let buf = "";
  for (const e of eventsOf(spec)) {
    buf += `${JSON.stringify(e)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  out.end(buf);
  await once(out, "finish");
}

/** The events as one JSON array: a request body. */
export function eventsBody(spec: EventSpec): Buffer {
  const parts: string[] = [];
  for (const e of eventsOf(spec)) parts.push(JSON.stringify(e));
  return Buffer.from(`[${parts.join(",")}]`);
}

/** How many events make a JSON body of about `bytes`. */
export function eventsForBytes(prefix: string, accounts: number, bytes: number): number {
  const sample = eventsBody({ prefix, accounts, events: 1000 }).length / 1000;
  return Math.max(1, Math.round(bytes / sample));
}

export function writeAccountsFile(path: string, ids: string[]): void {
  writeFileSync(path, ids.map((id) => `${JSON.stringify({ id, name: `Account ${id}` })}\n`).join(""));
}
