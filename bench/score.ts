import { ENTITIES, importRecords, jsonRecords } from "../src/ingest/index.js";
import { JOBS, JobQueue, queueFreshScores, startWorkers } from "../src/jobs/index.js";
import { activeScorecard, backfill, runScoring } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { BENCH_END, companyStore } from "./company.js";
import { argValue, peakRssMb } from "./store-for-bench.js";

const AS_OF = `${BENCH_END}T00:00:00.000Z`;

function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] ?? 0);
}

/**
 * Fresh scores through the job queue, as the server runs them: an import of
 * a few events queues a rescore in its transaction; the time is from the
 * import's commit to the worker having stored the new scores.
 */
async function freshLatency(db: Db, rounds: number): Promise<{ p95_ms: number; median_ms: number }> {
  const jobs = await JobQueue.open(db);
  let done: (() => void) | undefined;
  await startWorkers({ db, jobs, clock: () => new Date(AS_OF), onRescored: () => done?.() });
  const ids = (
    await db.query<{ id: string }>("SELECT id FROM accounts WHERE status = 'active' ORDER BY id LIMIT 200")
  ).map((r) => r.id);
  const latencies: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const batch = ids.slice((i * 5) % ids.length, ((i * 5) % ids.length) + 5);
    const scored = new Promise<void>((resolve) => {
      done = resolve;
    });
    await importRecords(
      db,
      ENTITIES.events,
      jsonRecords(
        batch.map((a, k) => ({
          id: `fresh_${Date.now()}_${i}_${k}`,
          account: a,
          user: "bench",
          ts: "2026-10-30T00:00:00Z",
          name: "dashboards.view",
        })),
      ),
      { inTransaction: queueFreshScores(jobs) },
    );
    const committed = performance.now();
    jobs.wake(JOBS.rescoreAccounts);
    await scored;
    latencies.push(performance.now() - committed);
  }
  await jobs.stop();
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p95_ms: p95(latencies), median_ms: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0) };
}

/** `npm run bench -- score [--accounts 10000] [--store pglite,postgres] [--backfill-store postgres]` */
export async function main(args: string[]): Promise<void> {
  const accounts = Number(argValue(args, "accounts", "10000"));
  const stores = argValue(args, "store", "pglite,postgres").split(",");
  const backfillStores = argValue(args, "backfill-store", "postgres").split(",");
  for (const kind of stores) {
    const db = await companyStore(kind, accounts);
    try {
      const scorecard = await activeScorecard(db);
      // The first run reads the store cold; the second is what a scheduled run sees.
      const t0 = performance.now();
      await runScoring(db, { asOf: AS_OF, scorecard, target: "current" });
      const coldSeconds = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      const s = await runScoring(db, { asOf: AS_OF, scorecard, target: "current" });
      const scoreSeconds = (performance.now() - t1) / 1000;
      const result: Record<string, unknown> = {
        store: kind,
        accounts_scored: s.accounts,
        score_all_seconds_cold: Math.round(coldSeconds * 100) / 100,
        score_all_seconds: Math.round(scoreSeconds * 100) / 100,
        bands: Object.fromEntries(Object.entries(s.bands).map(([b, v]) => [b, v.accounts])),
      };
      if (backfillStores.includes(kind)) {
        const t2 = performance.now();
        const months = await backfill(db, scorecard, "2024-12-01", "2026-11-01");
        result.backfill_months = months.length;
        result.backfill_seconds = Math.round((performance.now() - t2) / 1000);
      }
      result.fresh = await freshLatency(db, 20);
      result.peak_rss_mb = peakRssMb();
      console.log(JSON.stringify(result));
    } finally {
      await db.close();
    }
  }
}
