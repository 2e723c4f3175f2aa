import { buildServer } from "../../src/api/index.js";
import type { Db } from "../../src/store/index.js";
import { adminKey } from "./server.js";

type Rec = Record<string, unknown>;

/** A small seeded generator (mulberry32): the same seed, the same order. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const next = random(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** `items` cut into `parts` nearly equal requests. */
export function requests<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size));
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

export function accounts(n: number): Rec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `acc_${pad(i, 3)}`,
    name: `Account ${i}`,
    segment: i % 2 ? "smb" : "mid_market",
    seats: 20 + i,
    arr: 10_000 + i * 1_000,
    renewal_date: "2027-03-31",
    status: "active",
  }));
}

export function tickets(n: number, accountCount: number): Rec[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `t_${pad(i, 5)}`,
    account: `acc_${pad(i % accountCount, 3)}`,
    opened_at: new Date(Date.UTC(2026, 8, 1 + (i % 60), i % 24)).toISOString(),
    status: i % 5 ? "solved" : "open",
    priority: i % 7 ? "normal" : "high",
    subject: `Subject of ticket ${i}: ${i % 3 ? "export fails" : "thanks, works great"}`,
  }));
}

export function events(n: number, accountCount: number): Rec[] {
  const next = random(7);
  return Array.from({ length: n }, (_, i) => ({
    id: `e_${pad(i, 6)}`,
    account: `acc_${pad(i % accountCount, 3)}`,
    ...(i % 9 ? { user: `u_${i % 40}` } : {}),
    ts: new Date(Date.UTC(2026, 8, 1) + Math.floor(next() * 60 * 86_400_000)).toISOString(),
    name: ["dashboards.view", "reports.create", "exports.run", "alerts.set"][i % 4],
    value: 1 + (i % 5),
  }));
}

/** What the roll-up tables must hold for these events: "day|account|key" → [events, value]. */
export function expectedRollups(evs: readonly Rec[]): {
  users: Map<string, number[]>;
  features: Map<string, number[]>;
} {
  const users = new Map<string, number[]>();
  const features = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, key: string, value: number) => {
    const e = m.get(key) ?? [0, 0];
    m.set(key, [e[0]! + 1, e[1]! + value]);
  };
  for (const e of evs) {
    const day = String(e.ts).slice(0, 10);
    add(users, `${day}|${e.account}|${e.user ?? ""}`, Number(e.value));
    add(features, `${day}|${e.account}|${e.name}`, Number(e.value));
  }
  return { users, features };
}

/** The same, read back (summed over the partial rows). */
export async function storedRollup(db: Db, table: string, key: string): Promise<Map<string, number[]>> {
  const rows = await db.query<{ k: string; events: number; value: number }>(
    `SELECT day::text || '|' || account || '|' || ${key} AS k, sum(events)::int AS events, sum(value)::float8 AS value
       FROM ${table} GROUP BY 1`,
  );
  return new Map(rows.map((r) => [r.k, [r.events, r.value]]));
}

export interface Answer {
  status: number;
  body: string;
}

export interface Listening {
  url: string;
  /** The errors behind any 500 (whose body only says "internal error"): code and message. */
  errors: string[];
  close: () => Promise<void>;
}

/** Each listening test server's admin key, by origin, so `post` signs its requests. */
const keys = new Map<string, string>();

/** A real server listening on a free port, for concurrent clients. */
export async function listening(db: Db): Promise<Listening> {
  const key = await adminKey(db);
  const app = await buildServer({ db, config: { bodyLimit: 64 * 1024 * 1024, logLevel: "silent" } });
  const errors: string[] = [];
  app.addHook("onError", async (_req, _reply, err) => {
    errors.push(`${(err as { code?: string }).code ?? "-"}: ${err.message}`);
  });
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  keys.set(new URL(url).origin, key);
  return { url, errors, close: () => app.close() };
}

export async function post(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${keys.get(new URL(url).origin) ?? ""}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
}

/** Each client sends its requests one after another; the clients all at once. */
export async function clientsPost(url: string, clients: readonly unknown[][]): Promise<Answer[]> {
  const perClient = await Promise.all(
    clients.map(async (reqs) => {
      const answers: Answer[] = [];
      for (const body of reqs) answers.push(await post(url, body));
      return answers;
    }),
  );
  return perClient.flat();
}
