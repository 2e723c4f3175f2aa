import { fork } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { secretBox } from "../src/auth/index.js";
import { JOBS, JobQueue, startWorkers } from "../src/jobs/index.js";
import { newWebhookSecret } from "../src/notify/channels/index.js";
import { activeScorecard, runScoring } from "../src/scoring/index.js";
import { loadCompany } from "../test/helpers/company.js";
import { type BenchStore, benchStore } from "./store-for-bench.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? null);
};

/**
 * (b) From a play opening to its webhook arriving, through the real path:
 * a small simulated company, scored; the workers `keepwell serve` runs; one
 * account at a time, a playbook evaluation job opens its play, the worker
 * routes the play.opened event and delivers its webhook. The latency is the
 * receiver's clock at arrival minus the event's own time (the opening
 * transaction's start), so it counts the evaluation, routing and delivery.
 */
export async function notifyLatency(kind: BenchStore, plays: number): Promise<void> {
  const { db, cleanup } = await benchStore(kind);
  const child = fork(fileURLToPath(new URL("./notify-receiver.ts", import.meta.url)), ["ok"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const [{ port }] = (await once(child, "message")) as [{ port: number }];
  const report = async () => {
    child.send({ report: true });
    const [m] = (await once(child, "message")) as [
      { report: { delivered_ids: number; latencies: number[] } },
    ];
    return m.report;
  };
  const jobs = await JobQueue.open(db);
  try {
    const now = new Date();
    await loadCompany(db, {
      accounts: Math.max(plays + 20, 150),
      months: 6,
      seed: "notify-bench",
      end: now.toISOString().slice(0, 10),
    });
    await runScoring(db, {
      asOf: now.toISOString(),
      scorecard: await activeScorecard(db),
      target: "current",
    });
    const secrets = secretBox("bench-secret-key-of-at-least-32-characters");
    await db.query(
      "INSERT INTO webhook_endpoints (id, url, event_types, secret_sealed) VALUES ('whe_latency', $1, '{play.opened}', $2)",
      [`http://127.0.0.1:${port}/play-opened`, secrets.seal(newWebhookSecret())],
    );
    await db.query("UPDATE notify_events SET routed_at = now() WHERE routed_at IS NULL");
    const accounts = await db.query<{ account: string }>(
      `SELECT account FROM current_scores WHERE band IS NOT NULL ORDER BY account LIMIT ${plays}`,
    );
    await startWorkers({
      db,
      jobs,
      clock: () => new Date(),
      secrets,
      config: { publicUrl: "http://127.0.0.1:3000" },
    });
    const t0 = performance.now();
    for (const [i, a] of accounts.entries()) {
      await jobs.send(JOBS.evaluatePlaybooks, { as_of: new Date().toISOString(), accounts: [a.account] });
      jobs.wake(JOBS.evaluatePlaybooks);
      const started = performance.now();
      while ((await report()).delivered_ids < i + 1 && performance.now() - started < 30_000) await sleep(5);
    }
    const r = await report();
    const [opened] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM plays");
    console.log(
      JSON.stringify({
        bench: "notify-play-to-webhook",
        store: kind,
        plays_opened: opened?.n,
        webhooks: r.delivered_ids,
        latency_ms: { p50: pct(r.latencies, 50), p95: pct(r.latencies, 95), max: pct(r.latencies, 100) },
        seconds: Math.round((performance.now() - t0) / 100) / 10,
        target_p95_ms: 2000,
        within_target: (pct(r.latencies, 95) ?? Infinity) < 2000,
      }),
    );
  } finally {
    await jobs.stop();
    child.kill();
    await cleanup();
  }
}
