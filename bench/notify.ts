import { type ChildProcess, fork, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { secretBox } from "../src/auth/index.js";
import { JOBS, JobQueue, startWorkers } from "../src/jobs/index.js";
import { newWebhookSecret } from "../src/notify/channels/index.js";
import { deliverDeliveries, notifySweep, routePendingEvents } from "../src/notify/index.js";
import { type Db, jobSchemaOf, migrate, openPostgres, quoteIdent } from "../src/store/index.js";
import { startSmtpReceiver } from "../test/helpers/receivers.js";
import { notifyLatency } from "./notify-latency.js";
import { argValue, type BenchStore, benchStore, peakRssMb } from "./store-for-bench.js";

/**
 * `npm run bench -- notify [--store both|postgres|pglite] [--n 10000] [--plays 100] [--part all|throughput,latency,faults]`
 *
 * (a) throughput: n events, each announced to one webhook endpoint, routed
 *     and delivered by the real workers to a receiver in its own process;
 * (b) latency: plays opened one at a time through the real path (a play
 *     evaluation job), the time from the play's opening to its webhook;
 * (c) fault runs on PostgreSQL: a receiver that fails three times, one that
 *     is down for the whole schedule (both with a simulated clock, so a day
 *     of retries takes seconds), an SMTP server that refuses then accepts,
 *     and the worker killed (SIGKILL) mid-delivery and started again.
 */
const KEY = "bench-secret-key-of-at-least-32-characters";
const CLI = fileURLToPath(new URL("../bin/keepwell.js", import.meta.url));
const round2 = (x: number) => Math.round(x * 100) / 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Report = { total: number; ids: number; delivered_ids: number; latencies: number[] };
type Receiver = { url: string; report: () => Promise<Report>; close: () => void };

async function receiver(mode: "ok" | "fail3" | "down"): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL("./notify-receiver.ts", import.meta.url)), [mode], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [first] = (await once(child, "message")) as [{ port: number }];
  return {
    url: `http://127.0.0.1:${first.port}/hooks/keepwell?token=not-logged`,
    report: async () => {
      child.send({ report: true });
      const [m] = (await once(child, "message")) as [{ report: Report }];
      return m.report;
    },
    close: () => child.kill(),
  };
}

const secrets = secretBox(KEY);

async function addEndpoint(db: Db, url: string): Promise<void> {
  await db.query(
    "INSERT INTO webhook_endpoints (id, url, event_types, secret_sealed) VALUES ('whe_bench', $1, '{}', $2)",
    [url, secrets.seal(newWebhookSecret())],
  );
}

/** n accounts and one `account.band_changed` event for each, unrouted (what a scoring run that moved them writes). */
async function addEvents(db: Db, n: number, type = "account.band_changed", owners = 0): Promise<void> {
  const owner = owners > 0 ? `'owner' || (i % ${owners}) || '@team.example'` : "NULL";
  await db.exec(
    `INSERT INTO accounts (id, name, segment, owner, arr)
     SELECT 'acc_' || lpad(i::text, 6, '0'), 'Account ' || i, 'mid-market', ${owner}, 24000 FROM generate_series(1, ${n}) i
     ON CONFLICT (id) DO NOTHING;
     INSERT INTO notify_events (type, account, subject, detail)
     SELECT '${type}', 'acc_' || lpad(i::text, 6, '0'), 'acc_' || lpad(i::text, 6, '0'),
            '{"band_before": "healthy", "band_after": "watch", "probability_before": 0.1, "probability": 0.6, "threshold": 0.4, "horizon_days": 90}'::jsonb
     FROM generate_series(1, ${n}) i`,
  );
}

async function deliveryStates(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ state: string; n: number }>(
    "SELECT state, count(*)::int AS n FROM deliveries GROUP BY state",
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** (a) n webhooks through the real workers: from routing's start to the last one arriving. */
async function throughput(kind: BenchStore, n: number): Promise<void> {
  const { db, cleanup } = await benchStore(kind);
  const hooks = await receiver("ok");
  const jobs = await JobQueue.open(db);
  try {
    await addEndpoint(db, hooks.url);
    await addEvents(db, n);
    let routedAt = 0;
    const t0 = performance.now();
    await startWorkers({
      db,
      jobs,
      clock: () => new Date(),
      secrets,
      config: { publicUrl: "http://127.0.0.1:3000" },
      onRouted: () => {
        routedAt ||= performance.now();
      },
    });
    await jobs.send(JOBS.routeEvents, {});
    jobs.wake(JOBS.routeEvents);
    let r = await hooks.report();
    while (r.delivered_ids < n && performance.now() - t0 < 600_000) {
      await sleep(100);
      r = await hooks.report();
    }
    const arrived = (performance.now() - t0) / 1000;
    // Done when every delivery is recorded as delivered, not only received.
    let states = await deliveryStates(db);
    while ((states.delivered ?? 0) < n && performance.now() - t0 < 600_000) {
      await sleep(50);
      states = await deliveryStates(db);
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({
        bench: "notify-throughput",
        store: kind,
        webhooks: n,
        seconds: round2(seconds),
        per_second: Math.round(r.delivered_ids / seconds),
        last_arrived_seconds: round2(arrived),
        routed_seconds: round2((routedAt - t0) / 1000),
        received: { calls: r.total, distinct_ids: r.ids },
        states,
        peak_rss_mb: peakRssMb(),
        target_per_second: kind === "postgres" ? 500 : null,
        within_target: kind === "postgres" ? r.delivered_ids / seconds >= 500 : null,
      }),
    );
  } finally {
    await jobs.stop();
    hooks.close();
    await cleanup();
  }
}

/**
 * Delivers with a clock the run moves on: everything due is attempted, then
 * the clock jumps to the next retry time, until nothing is pending. A day of
 * backoff runs in seconds, and every attempt is the real one (a real receiver).
 */
async function simulatedSchedule(db: Db, start: Date): Promise<{ rounds: number; span_hours: number }> {
  let now = start;
  const deps = { db, secrets, clock: () => now, config: { publicUrl: "http://127.0.0.1:3000" } };
  await routePendingEvents(deps);
  let rounds = 0;
  for (; rounds < 200; rounds++) {
    const due = await db.query<{ id: string }>(
      "SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id",
      [now.toISOString()],
    );
    for (let i = 0; i < due.length; i += 500)
      await deliverDeliveries(
        deps,
        due.slice(i, i + 500).map((d) => d.id),
      );
    const [next] = await db.query<{ at: string | null }>(
      "SELECT min(next_attempt_at) AS at FROM deliveries WHERE state = 'pending'",
    );
    if (!next?.at) break;
    // To the first retry's time and a little past it (a quarter of the wait, at least a minute),
    // so the retries the jitter spread out go together; none is attempted before its time.
    const at = new Date(next.at).getTime();
    now = new Date(Math.max(now.getTime(), at + Math.max(60_000, (at - now.getTime()) / 4)));
  }
  return { rounds, span_hours: round2((now.getTime() - start.getTime()) / 3_600_000) };
}

async function attemptsHistogram(db: Db): Promise<Record<string, number>> {
  const rows = await db.query<{ attempts: number; n: number }>(
    "SELECT attempts, count(*)::int AS n FROM deliveries GROUP BY attempts ORDER BY attempts",
  );
  return Object.fromEntries(rows.map((r) => [String(r.attempts), r.n]));
}

/** (c1, c2) A receiver failing three times then accepting, and one down for the whole schedule. */
async function retryFaults(kind: BenchStore, mode: "fail3" | "down", n: number): Promise<void> {
  const { db, cleanup } = await benchStore(kind);
  const hooks = await receiver(mode);
  try {
    await addEndpoint(db, hooks.url);
    await addEvents(db, n);
    const t0 = performance.now();
    const run = await simulatedSchedule(db, new Date());
    const r = await hooks.report();
    const states = await deliveryStates(db);
    const [dup] = await db.query<{ webhook_ids: number; events: number }>(
      "SELECT count(DISTINCT id)::int AS webhook_ids, count(DISTINCT event_id)::int AS events FROM deliveries",
    );
    console.log(
      JSON.stringify({
        bench: mode === "fail3" ? "notify-fault-500x3-then-200" : "notify-fault-receiver-down",
        store: kind,
        messages: n,
        states,
        attempts: await attemptsHistogram(db),
        received: { calls: r.total, distinct_ids: r.ids, accepted_ids: r.delivered_ids },
        distinct_events_with_a_message: dup?.events,
        lost: n - (dup?.events ?? 0),
        simulated_schedule: run,
        wall_seconds: round2((performance.now() - t0) / 1000),
        ok:
          mode === "fail3"
            ? states.delivered === n && r.delivered_ids === n && r.total === 4 * n
            : states.dead === n && r.total === 8 * n,
      }),
    );
  } finally {
    hooks.close();
    await cleanup();
  }
}

/** (c3) SMTP refusing (451, a temporary failure) half the messages, then accepting them on the retry. */
async function smtpFault(kind: BenchStore, n: number): Promise<void> {
  const { db, cleanup } = await benchStore(kind);
  const smtp = await startSmtpReceiver();
  try {
    const owners = 10;
    await db.exec(
      `INSERT INTO users (id, email, name, role) SELECT 'usr_' || i, 'owner' || i || '@team.example', 'Owner ' || i, 'csm'
       FROM generate_series(0, ${owners - 1}) i;
       INSERT INTO notification_prefs (user_id, budget_per_day) SELECT id, 1000 FROM users;`,
    );
    await db.query("INSERT INTO notification_settings (settings) VALUES ($1)", [
      JSON.stringify({
        smtp: { host: smtp.host, port: smtp.port, security: "none", from: "keepwell@team.example" },
      }),
    ]);
    await addEvents(db, n, "account.flagged", owners);
    smtp.refuseNext(Math.floor(n / 2), 451, "4.3.0 try again later");
    const run = await simulatedSchedule(db, new Date());
    const ids = new Set(smtp.messages.map((m) => m.messageId));
    const states = await deliveryStates(db);
    console.log(
      JSON.stringify({
        bench: "notify-fault-smtp-refuses-then-accepts",
        store: kind,
        emails: n,
        refused_first: Math.floor(n / 2),
        states,
        attempts: await attemptsHistogram(db),
        received: { messages: smtp.messages.length, distinct_message_ids: ids.size },
        simulated_schedule: run,
        ok: states.delivered === n && ids.size === n && smtp.messages.length === n,
      }),
    );
  } finally {
    await smtp.close();
    await cleanup();
  }
}

function startWorker(url: string, schema: string): ChildProcess {
  return spawn("node", [CLI, "worker"], {
    env: { ...process.env, DATABASE_URL: url, KEEPWELL_DATABASE_SCHEMA: schema, KEEPWELL_SECRET_KEY: KEY },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** (c4) `keepwell worker` killed with SIGKILL mid-delivery, then started again: nothing lost, duplicates only by webhook-id. */
async function killFault(n: number): Promise<void> {
  const url =
    process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const db = await openPostgres({ url, schema });
  await migrate(db);
  const hooks = await receiver("ok");
  try {
    await addEndpoint(db, hooks.url);
    await addEvents(db, n);
    const jobs = await JobQueue.open(db);
    await jobs.send(JOBS.routeEvents, {});
    let worker = startWorker(url, schema);
    let r = await hooks.report();
    while (r.delivered_ids < n / 3) {
      await sleep(50);
      r = await hooks.report();
    }
    worker.kill("SIGKILL");
    await once(worker, "exit");
    const atKill = await hooks.report();
    const stranded = await deliveryStates(db);
    // The dead worker's leases would run out after five minutes; the run moves them on instead of waiting.
    await db.query("UPDATE deliveries SET lease_until = now() - interval '1 second' WHERE state = 'sending'");
    const t0 = performance.now();
    worker = startWorker(url, schema);
    // What the restarted worker's sweep runs within its first minute, run now.
    const swept = await notifySweep({ db, secrets, jobs, clock: () => new Date(), config: {} });
    r = await hooks.report();
    while (r.delivered_ids < n && performance.now() - t0 < 300_000) {
      await sleep(100);
      r = await hooks.report();
    }
    const recovery = (performance.now() - t0) / 1000;
    worker.kill("SIGTERM");
    await once(worker, "exit");
    const states = await deliveryStates(db);
    console.log(
      JSON.stringify({
        bench: "notify-fault-worker-killed",
        store: "postgres",
        webhooks: n,
        at_kill: { received_ids: atKill.delivered_ids, states: stranded },
        reconciled: swept,
        after_restart: { received_calls: r.total, distinct_ids: r.ids, duplicates: r.total - r.ids },
        recovery_seconds: round2(recovery),
        states,
        ok: r.ids === n && states.delivered === n,
      }),
    );
  } finally {
    hooks.close();
    await db.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    await db.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(jobSchemaOf(db))} CASCADE`);
    await db.close();
  }
}

export async function main(args: string[]): Promise<void> {
  const which = argValue(args, "store", "both");
  const stores: BenchStore[] = which === "both" ? ["postgres", "pglite"] : [which as BenchStore];
  const n = Number(argValue(args, "n", "10000"));
  const part = argValue(args, "part", "all");
  const runs = (p: string) => part === "all" || part.split(",").includes(p);
  if (runs("throughput")) for (const kind of stores) await throughput(kind, n);
  if (runs("latency"))
    for (const kind of stores) await notifyLatency(kind, Number(argValue(args, "plays", "100")));
  if (!runs("faults")) return;
  await retryFaults("postgres", "fail3", 1000);
  await retryFaults("postgres", "down", 1000);
  await smtpFault("postgres", 200);
  await killFault(Math.min(n, 5000));
}
