import type { AddressInfo } from "node:net";
import { buildServer } from "../src/api/index.js";
import { createKey, createSession, createUser, keyPrincipal, sessionPrincipal } from "../src/auth/index.js";
import { ENTITIES, importRecords, jsonRecords } from "../src/ingest/index.js";
import { argValue, type BenchStore, benchStore } from "./store-for-bench.js";

const SYSTEM = { type: "system" as const, id: null, label: "bench" };

function quantiles(xs: number[]): { p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round((s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? 0) * 100) / 100;
  return { p50: q(0.5), p95: q(0.95) };
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * What signing in costs (scrypt, over HTTP to a listening server) and what
 * authentication adds to every request: the guard's lookup of a session or a
 * key (one indexed read; a write at most once a minute), measured alone and
 * as the difference it makes to GET /api/v1/accounts, on a store of
 * `--accounts` accounts and `--users` users.
 */
async function run(store: BenchStore, accounts: number, users: number, rounds: number) {
  const { db, cleanup } = await benchStore(store);
  const app = await buildServer({ db, config: { bodyLimit: 64 << 20, logLevel: "silent" } });
  try {
    await importRecords(
      db,
      ENTITIES.accounts,
      jsonRecords(
        Array.from({ length: accounts }, (_, i) => ({
          id: `acc_${i}`,
          name: `Account ${i}`,
          owner: `csm${i % users}@example.com`,
        })),
      ),
    );
    let first: { id: string } | undefined;
    await db.transaction(async (tx) => {
      for (let i = 0; i < users; i++) {
        const u = await createUser(
          tx,
          {
            email: `csm${i}@example.com`,
            name: `CSM ${i}`,
            role: i === 0 ? "admin" : "csm",
            password: i === 0 ? "bench password 123" : undefined,
          },
          SYSTEM,
        );
        first ??= u;
      }
    });
    const session = await createSession(db, first!.id, "password", new Date());
    const { key } = await createKey(db, { name: "bench", scopes: ["read"] }, SYSTEM, new Date());
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const signIn = await timed(Math.max(10, rounds / 20), async () => {
      const r = await fetch(`${base}/api/v1/session`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "csm0@example.com", password: "bench password 123" }),
      });
      if (r.status !== 200) throw new Error(`sign-in answered ${r.status}`);
      await r.text();
    });
    const lookupSession = await timed(rounds, () => sessionPrincipal(db, session.token, new Date()));
    const lookupKey = await timed(rounds, () => keyPrincipal(db, key, new Date()));
    const cookie = `kw_session=${session.token}`;
    const get = (headers: Record<string, string>) => async () => {
      const r = await fetch(`${base}/api/v1/accounts?limit=50`, { headers });
      if (r.status !== 200) throw new Error(`accounts answered ${r.status}`);
      await r.text();
    };
    const withSession = await timed(rounds, get({ cookie }));
    const withKey = await timed(rounds, get({ authorization: `Bearer ${key}` }));
    const health = await timed(rounds, async () => (await fetch(`${base}/healthz`)).text());
    return {
      store,
      accounts,
      users,
      sign_in_ms: quantiles(signIn),
      guard_session_lookup_ms: quantiles(lookupSession),
      guard_key_lookup_ms: quantiles(lookupKey),
      accounts_page_with_session_ms: quantiles(withSession),
      accounts_page_with_key_ms: quantiles(withKey),
      healthz_ms: quantiles(health),
    };
  } finally {
    await app.close();
    await cleanup();
  }
}

/** `npm run bench -- auth [--accounts 10000] [--users 50] [--rounds 400] [--store pglite,postgres]` */
export async function main(args: string[]): Promise<void> {
  const accounts = Number(argValue(args, "accounts", "10000"));
  const users = Number(argValue(args, "users", "50"));
  const rounds = Number(argValue(args, "rounds", "400"));
  for (const store of argValue(args, "store", "pglite,postgres").split(",") as BenchStore[])
    console.log(JSON.stringify(await run(store, accounts, users, rounds)));
}
