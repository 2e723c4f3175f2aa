import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKey } from "../src/auth/index.js";
import { migrate, openPglite, openPostgres } from "../src/store/index.js";
import { startWorker } from "../src/worker-thread.js";
import { argValue, type BenchStore } from "./store-for-bench.js";

const CLI = fileURLToPath(new URL("../bin/keepwell.js", import.meta.url));
const PG_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function quantile(sorted: number[], q: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0) * 10) / 10;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** `keepwell serve` in its own process, as it runs for a team; resolves once it answers. */
async function startServer(
  store: BenchStore,
  port: number,
): Promise<{ child: ChildProcess; key: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "keepwell-healthz-"));
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  // An admin key, made in the store before the server holds it.
  const setup =
    store === "postgres"
      ? await openPostgres({ url: PG_URL, schema })
      : await openPglite({ dataDir: join(dir, "data") });
  await migrate(setup);
  const { key } = await createKey(
    setup,
    { name: "bench", scopes: ["admin"] },
    { type: "system", id: null, label: "bench" },
    new Date(),
  );
  await setup.close();
  const { DATABASE_URL: _u, KEEPWELL_DATABASE_SCHEMA: _s, ...env } = process.env;
  const storeEnv = store === "postgres" ? { DATABASE_URL: PG_URL, KEEPWELL_DATABASE_SCHEMA: schema } : {};
  const child = spawn("node", [CLI, "--data-dir", join(dir, "data"), "serve", "--port", String(port)], {
    env: { ...env, ...storeEnv, LOG_LEVEL: "warn", KEEPWELL_BODY_LIMIT_MB: "128" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      if (d.toString().includes("Keepwell is serving")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the server stopped (${code})`)));
  });
  return {
    child,
    key,
    cleanup: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
      if (store === "postgres") {
        const db = await openPostgres({ url: PG_URL });
        await db.exec(
          `DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`,
        );
        await db.close();
      }
    },
  };
}

function tickets(mb: number, ticketKb: number): string {
  const text = "the export is broken again and we are frustrated, please help us fix this soon ".repeat(
    Math.ceil((ticketKb * 1000) / 80),
  );
  const n = Math.round((mb * 1000) / ticketKb);
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({
      id: `t_${i}`,
      account: `acc_${i % 100}`,
      opened_at: "2026-05-01T09:00:00Z",
      status: "open",
      subject: `Ticket ${i}`,
      body: text.slice(0, ticketKb * 1000),
    })),
  );
}

/**
 * `/healthz` of a real `keepwell serve` while one large request is imported:
 * `--mb` MB of tickets with `--ticket-kb` KB bodies (ticket sentiment is
 * scored for each), probed every 20 ms from another thread from before the
 * POST starts until its answer arrives.
 */
async function run(store: BenchStore, mb: number, ticketKb: number): Promise<Record<string, unknown>> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = await startServer(store, port);
  try {
    const accounts = Array.from({ length: 100 }, (_, i) => ({ id: `acc_${i}`, name: `Account ${i}` }));
    const auth = { authorization: `Bearer ${server.key}` };
    await fetch(`${base}/api/v1/accounts`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body: JSON.stringify(accounts),
    });
    const body = Buffer.from(tickets(mb, ticketKb));
    const probe = startWorker(import.meta.url, "healthz-probe", { url: `${base}/healthz`, everyMs: 20 });
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/tickets`, {
      method: "POST",
      headers: { "content-type": "application/json", ...auth },
      body,
    });
    const answer = await res.text();
    const seconds = (performance.now() - t0) / 1000;
    probe.postMessage("stop");
    const latencies = await new Promise<number[]>((r) => probe.once("message", r));
    await probe.terminate();
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      store,
      body_mb: Math.round(body.length / 1e5) / 10,
      status: res.status,
      answer: answer.slice(0, 60),
      import_seconds: Math.round(seconds * 10) / 10,
      probes: sorted.length,
      healthz_p50_ms: quantile(sorted, 0.5),
      healthz_p99_ms: quantile(sorted, 0.99),
      healthz_max_ms: quantile(sorted, 1),
    };
  } finally {
    await server.cleanup();
  }
}

/** `npm run bench -- healthz [--mb 60] [--ticket-kb 99] [--store pglite,postgres] [--runs 1]` */
export async function main(args: string[]): Promise<void> {
  const mb = Number(argValue(args, "mb", "60"));
  const ticketKb = Number(argValue(args, "ticket-kb", "99"));
  const runs = Number(argValue(args, "runs", "1"));
  for (const store of argValue(args, "store", "pglite,postgres").split(",") as BenchStore[]) {
    for (let i = 0; i < runs; i++) console.log(JSON.stringify(await run(store, mb, ticketKb)));
  }
}
