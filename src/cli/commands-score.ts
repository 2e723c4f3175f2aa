import type { Command } from "commander";
import { AppError } from "../errors.js";
import { afterScoring, JobQueue } from "../jobs/index.js";
import type { RunSummary } from "../scoring/index.js";
import { backfill, runScoring, summaryOf, syncScorecardFile } from "../scoring/index.js";
import { configOf, withStore } from "./context.js";
import { reportError } from "./output.js";

interface ScoreFlags {
  asOf?: string;
  json?: boolean;
  backfill?: boolean;
  from?: string;
  to?: string;
  scorecard?: string;
}

function instant(value: string, name: string): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime()))
    throw new AppError("bad_request", `--${name} must be a date (YYYY-MM-DD) or an ISO 8601 time`);
  return d.toISOString();
}

function printSummary(s: RunSummary): void {
  console.log(
    `scored ${s.accounts} accounts as of ${s.as_of} with scorecard v${s.scorecard_version} in ${s.seconds} s`,
  );
  for (const band of ["healthy", "watch", "at_risk", "critical", "unscored"]) {
    const b = s.bands[band];
    if (b)
      console.log(
        `  ${band.padEnd(9)} ${String(b.accounts).padStart(6)} accounts  ${b.arr.toLocaleString("en", { maximumFractionDigits: 0 })} ARR`,
      );
  }
}

export function scoreCommand(program: Command): void {
  program
    .command("score")
    .description(
      "score every account with the active scorecard (now, as of a date, or --backfill monthly history)",
    )
    .option("--as-of <date>", "score as of this date instead of now")
    .option("--json", "print a summary as JSON: accounts and ARR per band, and the scorecard version")
    .option("--backfill", "replay monthly snapshots (first of each month) point in time")
    .option("--from <date>", "first month of --backfill")
    .option("--to <date>", "last month of --backfill (default: today)")
    .option("--scorecard <file>", "the scorecard YAML (default keepwell.scorecard.yaml beside the data)")
    .action(async (flags: ScoreFlags) => {
      try {
        const config = configOf(program, { scorecard: flags.scorecard });
        await withStore(program, { config }, async ({ db }) => {
          const scorecard = await syncScorecardFile(db, config.scorecardFile);
          if (flags.backfill) {
            if (!flags.from) throw new AppError("bad_request", "--backfill needs --from DATE");
            const to = flags.to ?? new Date().toISOString().slice(0, 10);
            const runs = await backfill(db, scorecard, flags.from, to, (s) => {
              if (!flags.json)
                console.log(
                  `  ${s.as_of.slice(0, 7)}: ${s.accounts} accounts, average ${s.average_score ?? "-"} (${s.seconds} s)`,
                );
            });
            if (flags.json) console.log(JSON.stringify({ months: runs }, null, 2));
            return;
          }
          const asOf = flags.asOf ? instant(flags.asOf, "as-of") : new Date().toISOString();
          const run = await runScoring(db, { asOf, scorecard, target: "current" });
          const jobs = await JobQueue.open(db);
          await afterScoring({ db, jobs }, run);
          const summary = summaryOf(run);
          if (flags.json) console.log(JSON.stringify(summary, null, 2));
          else printSummary(summary);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });
}
