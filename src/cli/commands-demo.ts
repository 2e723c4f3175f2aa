import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { createUser, findUserByEmail, setPassword } from "../auth/index.js";
import { loadConfig } from "../config.js";
import { afterScoring, JobQueue } from "../jobs/index.js";
import { syncPlaybooksFile } from "../playbooks/index.js";
import { trainAndStore } from "../predict/index.js";
import { backfill, runScoring, syncScorecardFile } from "../scoring/index.js";
import { setCompetitors } from "../signals/competitors.js";
import { SIGNAL_COMPETITORS, StoreSink, simulate, simulatedTeam } from "../simulate/index.js";
import { type Db, openStore } from "../store/index.js";
import { serve } from "./commands-serve.js";
import { simulateOptions } from "./commands-simulate.js";
import { ensureSimulatedTeam } from "./demo-team.js";
import { progress, reportError } from "./output.js";

/** Monthly history for the whole simulated window, then today's scores. */
async function scoreDemo(db: Db, scorecardFile: string, now: Date): Promise<void> {
  const scorecard = await syncScorecardFile(db, scorecardFile);
  const [span] = await db.query<{ first: string | null }>(
    "SELECT min(started_at) AS first FROM subscriptions",
  );
  const from = new Date(
    Math.max(Date.parse(span?.first ?? now.toISOString()), now.getTime() - 730 * 86_400_000),
  );
  const bar = progress("scoring monthly history");
  let months = 0;
  await backfill(db, scorecard, from.toISOString().slice(0, 10), now.toISOString().slice(0, 10), () =>
    bar.update(++months),
  );
  bar.done();
  const s = await runScoring(db, { asOf: now.toISOString(), scorecard, target: "current" });
  await afterScoring({ db, jobs: await JobQueue.open(db) }, s);
  const bands = ["healthy", "watch", "at_risk", "critical"].map(
    (b) => `${s.bands[b]?.accounts ?? 0} ${b.replace("_", " ")}`,
  );
  console.log(`Scored ${s.accounts} accounts (${months} months of history): ${bands.join(", ")}`);
  const trained = await trainAndStore(db, {});
  const r = trained.report as { model?: { auc?: number | null } };
  console.log(
    `Trained churn model v${trained.version} (backtest AUC ${r.model?.auc?.toFixed(3) ?? "n/a"}); probabilities are on the dashboard`,
  );
}

const DEMO_ADMIN = { email: "admin@demo.keepwell.example", name: "Demo Admin" };

/**
 * The demo's admin, with a new password every start (only its hash is kept,
 * so the last one cannot be shown again): what the serving line prints, so
 * `npm run demo` stays one command.
 */
async function demoSignIn(db: Db): Promise<string> {
  const password = randomBytes(9).toString("base64url");
  const actor = { type: "system" as const, id: null, label: "demo" };
  await db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, DEMO_ADMIN.email);
    if (existing) await setPassword(tx, existing.id, password, actor);
    else await createUser(tx, { ...DEMO_ADMIN, role: "admin", password }, actor);
    // The simulated company's CS team (owners of its accounts), with the same password.
    await ensureSimulatedTeam(tx, actor, password);
  });
  const csm = simulatedTeam().find((m) => m.role === "csm");
  return `sign in as ${DEMO_ADMIN.email} with the password ${password} (the CS team too, with the same password: e.g. ${csm?.email}, a CSM)`;
}

interface DemoFlags {
  reset?: boolean;
  accounts: string;
  months: string;
  seed: string;
  port?: string;
  host?: string;
}

export function demoCommand(program: Command): void {
  program
    .command("demo")
    .description("build a simulated company in its own data folder (once), score it, and serve it")
    .option("--reset", "throw the demo data away and build it again")
    .option("--accounts <n>", "customer accounts", "500")
    .option("--months <n>", "months of history", "24")
    .option("--seed <seed>", "which simulated company", "7")
    .option("-p, --port <port>", "port to listen on", undefined)
    .option("--host <host>", "address to listen on", undefined)
    .action(async (flags: DemoFlags) => {
      try {
        const began = performance.now();
        const dataDir = resolve(program.opts<{ dataDir?: string }>().dataDir ?? ".keepwell-demo");
        // The demo keeps to its own embedded store, whatever DATABASE_URL says.
        const config = {
          ...loadConfig({
            dataDir,
            port: flags.port,
            host: flags.host,
            scorecard: join(dataDir, "keepwell.scorecard.yaml"),
            playbooks: join(dataDir, "keepwell.playbooks.yaml"),
          }),
          databaseUrl: undefined,
          logLevel: "warn" as const,
        };
        if (flags.reset && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
        const db = await openStore(config);
        try {
          const [row] = await db.query<{ n: number; scored: number }>(
            "SELECT (SELECT count(*) FROM accounts)::int AS n, (SELECT count(*) FROM current_scores)::int AS scored",
          );
          if ((row?.n ?? 0) === 0) {
            const opts = simulateOptions(flags, new Date());
            console.log(
              `Building a simulated company: ${opts.accounts} accounts, ${opts.months} months (seed ${opts.seed}) in ${dataDir}`,
            );
            // The simulated company's competitors, configured before its text is imported (found at ingest).
            await db.transaction((tx) =>
              setCompetitors(tx, SIGNAL_COMPETITORS, { type: "system", id: null, label: "demo" }),
            );
            const bar = progress("simulating");
            const sink = new StoreSink(db, { onProgress: bar.update });
            await simulate(opts, sink);
            await sink.close();
            bar.done();
          } else {
            console.log(`Using the demo company already in ${dataDir} (--reset to build it again)`);
          }
          // The CS team first, so the plays opened after scoring have owners.
          await ensureSimulatedTeam(db, { type: "system", id: null, label: "demo" });
          await syncPlaybooksFile(db, config.playbooksFile);
          if ((row?.scored ?? 0) === 0) await scoreDemo(db, config.scorecardFile, new Date());
        } finally {
          await db.close();
        }
        console.log(`Ready in ${Math.round((performance.now() - began) / 100) / 10} s.`);
        await serve(program, { port: flags.port, host: flags.host }, config, demoSignIn);
      } catch (err) {
        reportError(err, false);
      }
    });
}
