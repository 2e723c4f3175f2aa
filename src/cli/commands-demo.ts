import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { loadConfig } from "../config.js";
import { openStore } from "../store/index.js";
import { StoreSink, simulate } from "../simulate/index.js";
import { serve } from "./commands-serve.js";
import { progress, reportError } from "./output.js";
import { simulateOptions } from "./commands-simulate.js";

/** Steps later stages add to the demo after the data is in (e.g. scoring). */
export type DemoStep = (ctx: { dataDir: string; log: (line: string) => void }) => Promise<void>;
const steps: DemoStep[] = [];
export function addDemoStep(step: DemoStep): void {
  steps.push(step);
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
        const config = { ...loadConfig({ dataDir, port: flags.port, host: flags.host }), databaseUrl: undefined };
        if (flags.reset && existsSync(dataDir)) rmSync(dataDir, { recursive: true, force: true });
        const db = await openStore(config);
        try {
          const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM accounts");
          if ((row?.n ?? 0) === 0) {
            const opts = simulateOptions(flags, new Date());
            console.log(`Building a simulated company: ${opts.accounts} accounts, ${opts.months} months (seed ${opts.seed}) in ${dataDir}`);
            const bar = progress("simulating");
            const sink = new StoreSink(db, { onProgress: bar.update });
            await simulate(opts, sink);
            await sink.close();
            bar.done();
          } else {
            console.log(`Using the demo company already in ${dataDir} (--reset to build it again)`);
          }
        } finally {
          await db.close();
        }
        for (const step of steps) await step({ dataDir, log: (l) => console.log(l) });
        console.log(`Ready in ${Math.round((performance.now() - began) / 100) / 10} s.`);
        await serve(program, { port: flags.port, host: flags.host }, config);
      } catch (err) {
        reportError(err, false);
      }
    });
}
