import type { Command } from "commander";
import { buildServer } from "../api/index.js";
import type { Config } from "../config.js";
import { refreshAfterScoring } from "../predict/index.js";
import { FreshScores, syncScorecardFile } from "../scoring/index.js";
import { openStore } from "../store/index.js";
import { configOf } from "./context.js";

export async function serve(
  program: Command,
  opts: { port?: string; host?: string },
  given?: Config,
): Promise<string> {
  const config = given ?? configOf(program, opts);
  const db = await openStore(config);
  await syncScorecardFile(db, config.scorecardFile);
  const fresh = new FreshScores(db, {
    onError: (err) => console.error("fresh scores failed:", err),
    afterRun: (accounts) => refreshAfterScoring(db, accounts),
  });
  const app = await buildServer({ db, config, fresh, scorecardFile: config.scorecardFile });
  const close = async () => {
    await app.close();
    await fresh.close();
    await db.close();
    process.exit(0);
  };
  process.once("SIGINT", close);
  process.once("SIGTERM", close);
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host}:${config.port}`;
  console.log(`Keepwell is serving ${db.label} at ${url} (API docs at ${url}/docs)`);
  return url;
}

export function serveCommand(program: Command): void {
  program
    .command("serve")
    .description("serve the API (and the dashboard) over HTTP")
    .option("-p, --port <port>", "port to listen on (PORT)", undefined)
    .option("--host <host>", "address to listen on (HOST)", undefined)
    .action(async (opts: { port?: string; host?: string }) => {
      await serve(program, opts);
    });
}
