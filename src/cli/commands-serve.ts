import type { Command } from "commander";
import { buildServer, isLoopback } from "../api/index.js";
import { countUsers, createLink, type SecretBox, secretBoxFor } from "../auth/index.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import { JobQueue, startWorkers } from "../jobs/index.js";
import { closeHttpAgent } from "../notify/channels/index.js";
import { closeMailers } from "../notify/index.js";
import { syncPlaybooksFile } from "../playbooks/index.js";
import { syncScorecardFile } from "../scoring/index.js";
import { type Db, openStore } from "../store/index.js";
import { configOf } from "./context.js";
import { reportError } from "./output.js";

/** The store's secret box: KEEPWELL_SECRET_KEY, or the embedded store's own key file. */
export function secretsOf(config: Config): SecretBox {
  return secretBoxFor({
    secretKey: config.secretKey,
    dataDir: config.dataDir,
    embedded: !config.databaseUrl,
  });
}

/** The job queue with every worker running on it (fresh scores, playbooks, escalations, alerts and deliveries). */
async function runWorkers(db: Db, config: Config, log: (line: string) => void): Promise<JobQueue> {
  const jobs = await JobQueue.open(db);
  jobs.onError = (err) => log(`job queue: ${(err as Error).message}`);
  await startWorkers({
    db,
    jobs,
    clock: () => new Date(),
    secrets: secretsOf(config),
    config: { smtp: config.smtp, publicUrl: config.publicUrl ?? `http://${config.host}:${config.port}` },
  });
  return jobs;
}

/** The pooled SMTP and HTTP connections the deliveries keep open, closed once the jobs have stopped. */
async function closeSenders(): Promise<void> {
  closeMailers();
  await closeHttpAgent();
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
  /** What to add to the line saying where it serves (the demo's sign-in). */
  signIn?: (db: Db) => Promise<string>,
): Promise<string> {
  const config = given ?? configOf(program, opts);
  if (!isLoopback(config.host) && !config.publicUrl)
    throw new AppError(
      "bad_request",
      `listening on ${config.host} makes Keepwell reachable from other machines: set KEEPWELL_PUBLIC_URL to the address people use (e.g. https://keepwell.example.com)`,
    );
  const db = await openStore(config);
  await syncScorecardFile(db, config.scorecardFile);
  await syncPlaybooksFile(db, config.playbooksFile);
  const log = (line: string) => console.error(line);
  const jobs = opts.worker === false ? await JobQueue.open(db) : await runWorkers(db, config, log);
  const app = await buildServer({
    db,
    config,
    jobs,
    scorecardFile: config.scorecardFile,
    secrets: secretsOf(config),
  });
  onSignal(async () => {
    await app.close();
    await jobs.stop();
    await closeSenders();
    await db.close();
  });
  await app.listen({ port: config.port, host: config.host });
  const url = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const login = signIn ? ` — ${await signIn(db)}` : "";
  console.log(`Keepwell is serving ${db.label} at ${url} (API docs at ${url}/docs)${login}`);
  if (!isLoopback(config.host))
    console.log(`Listening on ${config.host}:${config.port}; people reach it at ${url}`);
  if ((await countUsers(db)) === 0) {
    const token = await createLink(db, "setup", null, new Date());
    console.log(`No users yet. Create the first admin at (one use, 24 hours): ${url}/setup?token=${token}`);
  }
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
      try {
        await serve(program, opts);
      } catch (err) {
        reportError(err, false);
      }
    });

  program
    .command("worker")
    .description(
      "run the background workers only (fresh scores, playbooks, alerts and deliveries), beside `keepwell serve --no-worker` on PostgreSQL",
    )
    .action(async () => {
      const config = configOf(program);
      const db = await openStore(config);
      const jobs = await runWorkers(db, config, (line) => console.error(line));
      onSignal(async () => {
        await jobs.stop();
        await closeSenders();
        await db.close();
      });
      console.log(`Keepwell worker running on ${db.label}`);
    });
}
