import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENTITIES, importFile } from "../src/ingest/index.js";
import { JOBS, JobQueue, queueFreshScores, startWorkers } from "../src/jobs/index.js";
import { activeScorecard, runScoring } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import { loadCompany } from "./helpers/company.js";
import { storeName, testDb } from "./helpers/db.js";

const run = promisify(execFile);
const END = "2025-07-01T00:00:00.000Z";
const dir = mkdtempSync(join(tmpdir(), "keepwell-fresh-"));

function cancellation(id: string, account: string): string {
  const path = join(dir, `${id}.ndjson`);
  writeFileSync(
    path,
    `${JSON.stringify({ id, account, opened_at: "2025-06-28T00:00:00Z", status: "open", tags: ["cancellation"], subject: "Please cancel our contract" })}\n`,
  );
  return path;
}

async function bandOf(db: Db, account: string): Promise<string | undefined> {
  const [row] = await db.query<{ band: string }>("SELECT band FROM current_scores WHERE account = $1", [
    account,
  ]);
  return row?.band;
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe(`fresh scores are durable: queued with the import, run by a worker (${storeName})`, () => {
  let db: Db;
  let accounts: string[];
  beforeAll(async () => {
    db = await testDb();
    await loadCompany(db, { accounts: 12, months: 6, seed: "fresh", end: "2025-07-01" });
    await runScoring(db, { asOf: END, scorecard: await activeScorecard(db), target: "current" });
    accounts = (
      await db.query<{ account: string }>(
        "SELECT account FROM current_scores WHERE band <> 'critical' ORDER BY account LIMIT 2",
      )
    ).map((r) => r.account);
    expect(accounts).toHaveLength(2);
  });
  afterAll(async () => {
    await db.close();
  });

  it("an import with no worker running leaves the rescore queued; the next worker to start runs it", async () => {
    const jobs = await JobQueue.open(db);
    const account = accounts[0]!;
    await importFile(db, ENTITIES.tickets, cancellation("t_fresh_1", account), {
      inTransaction: queueFreshScores(jobs),
    });
    // Nothing scores it yet: the process that imported may stop here (a crash after the commit loses nothing).
    expect(await jobs.pending(JOBS.rescoreAccounts)).toBe(1);
    expect(await bandOf(db, account)).not.toBe("critical");

    const worker = await JobQueue.open(db);
    await startWorkers({ db, jobs: worker, clock: () => new Date(END) });
    try {
      expect(await waitFor(async () => (await bandOf(db, account)) === "critical", 10_000)).toBe(true);
      expect(await waitFor(async () => (await worker.pending(JOBS.rescoreAccounts)) === 0, 5_000)).toBe(true);
    } finally {
      await worker.stop();
    }
  });

  it("an import that is rejected queues nothing", async () => {
    const jobs = await JobQueue.open(db);
    const path = join(dir, "bad.ndjson");
    writeFileSync(
      path,
      `${JSON.stringify({ id: "t_ok", account: accounts[1], opened_at: "2025-06-28T00:00:00Z", status: "open" })}\n{"id": "t_bad", "account": "${accounts[1]}", "status": "open"}\n`,
    );
    await expect(
      importFile(db, ENTITIES.tickets, path, { inTransaction: queueFreshScores(jobs) }),
    ).rejects.toThrow(/nothing was written/);
    expect(await jobs.pending(JOBS.rescoreAccounts)).toBe(0);
  });

  it.skipIf(storeName !== "postgres")(
    "with a server's workers running, a ticket imported by the CLI makes the account critical within 5 s",
    async () => {
      const jobs = await JobQueue.open(db);
      await startWorkers({ db, jobs, clock: () => new Date(END) });
      try {
        const account = accounts[1]!;
        const [{ schema } = { schema: "" }] = await db.query<{ schema: string }>(
          "SELECT current_schema() AS schema",
        );
        const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
        const env = {
          ...process.env,
          DATABASE_URL: process.env.TEST_DATABASE_URL,
          KEEPWELL_DATABASE_SCHEMA: schema,
        };
        await run("node", [cli, "import", "tickets", cancellation("t_fresh_2", account), "--json"], { env });
        const started = performance.now();
        expect(await waitFor(async () => (await bandOf(db, account)) === "critical", 5_000)).toBe(true);
        expect(performance.now() - started).toBeLessThan(5_000);
      } finally {
        await jobs.stop();
      }
    },
  );
});
