import type { Command } from "commander";
import { buildServer } from "../api/index.js";
import type { Config } from "../config.js";
import { JobQueue, startWorkers } from "../jobs/index.js";
import { syncScorecardFile } from "../scoring/index.js";
import { type Db, openStore } from "../store/index.js";
import { configOf } from "./context.js";

/** The job queue with every worker running on it (fresh scores, and what later issues add). */
async function runWorkers(db: Db, log: (line: string) => void): Promise<JobQueue> {
  const jobs = await JobQueue.open(db);
  jobs.onError = (err) => log(`job queue: ${(err as Error).message}`);
  await startWorkers({ db, jobs, clock: () => new Date() });
  return jobs;
}

/** Stops cleanly on Ctrl-C or SIGTERM: the job in hand finishes (or is retried by the next worker). */
function onSignal(close: () => Promise<void>): void {
  const stop = () =>
    void close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

export async function serve(
  program: Command,
  opts: { port?: string; host?: string; worker?: boolean },
  given?: Config,
): Promise<string> {
  const config = given ?? configOf(program, opts);
  const db = await openStore(config);
  await syncScorecardFile(db, config.scorecardFile);
  const log = (line: string) => console.error(line);
  const jobs = opts.worker === false ? await JobQueue.open(db) : await runWorkers(db, log);
  const app = await buildServer({ db, config, jobs, scorecardFile: config.scorecardFile });
  onSignal(async () => {
    await app.close();
    await jobs.stop();
    await db.close();
  });
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host}:${config.port}`;
  console.log(`Keepwell is serving ${db.label} at ${url} (API docs at ${url}/docs)`);
  return url;
}

export function serveCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the API (and the dashboard) over HTTP, with the background workers")
    .option("-p, --port <port>", "port to listen on (PORT)", undefined)
    .option("--host <host>", "address to listen on (HOST)", undefined)
    .option("--no-worker", "do not run the background workers here (run `keepwell worker` beside it)")
    .action(async (opts: { port?: string; host?: string; worker?: boolean }) => {
      await serve(program, opts);
    });

  program
    .command("worker")
    .description(
      "run the background workers only (fresh scores), beside `keepwell serve --no-worker` on PostgreSQL",
    )
    .action(async () => {
      const config = configOf(program);
      const db = await openStore(config);
      const jobs = await runWorkers(db, (line) => console.error(line));
      onSignal(async () => {
        await jobs.stop();
        await db.close();
      });
      console.log(`Keepwell worker running on ${db.label}`);
    });
}
