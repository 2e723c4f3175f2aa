import { Command } from "commander";
import { VERSION } from "../api/index.js";
import { apiKeyCommands } from "./commands-api-keys.js";
import { competitorsCommands } from "./commands-competitors.js";
import { demoCommand } from "./commands-demo.js";
import { factCommands } from "./commands-facts.js";
import { notifyCommands } from "./commands-notify.js";
import { playbooksCommands } from "./commands-playbooks.js";
import { playsCommands } from "./commands-plays.js";
import { predictCommands } from "./commands-predict.js";
import { scoreCommand } from "./commands-score.js";
import { serveCommand } from "./commands-serve.js";
import { simulateCommand } from "./commands-simulate.js";
import { usersCommands } from "./commands-users.js";
import { webhooksCommands } from "./commands-webhooks.js";
import { reportError } from "./output.js";

const program = new Command("keepwell")
  .description("Customer health scores for B2B SaaS: ingest, score, predict, act.")
  .version(VERSION)
  .option(
    "--data-dir <dir>",
    "where the embedded store keeps its data (KEEPWELL_DATA_DIR; default .keepwell)",
  )
  .showHelpAfterError();

serveCommand(program);
factCommands(program);
simulateCommand(program);
demoCommand(program);
scoreCommand(program);
predictCommands(program);
usersCommands(program);
apiKeyCommands(program);
playbooksCommands(program);
playsCommands(program);
notifyCommands(program);
webhooksCommands(program);
competitorsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  reportError(err, process.argv.includes("--json"));
}
