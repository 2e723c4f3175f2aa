import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { formatConfigErrors } from "../domain/config-parse.js";
import { DEFAULT_PLAYBOOKS_YAML, type Playbooks } from "../domain/playbooks/index.js";
import { AppError } from "../errors.js";
import {
  activePlaybooks,
  checkPlaybooks,
  playbooksYaml,
  type SimulationReport,
  savePlaybooks,
  simulateStored,
} from "../playbooks/index.js";
import type { Queryable } from "../store/index.js";
import { cliActor } from "./cli-actor.js";
import { configOf, withStore } from "./context.js";
import { reportError } from "./output.js";

/** `keepwell playbooks check | apply | show | simulate`: the playbooks file, from the server's shell. */

function readPlaybooksFile(file: string): { path: string; text: string } {
  const path = resolve(file);
  if (!existsSync(path)) throw new AppError("not_found", `no playbooks file at ${path}`);
  return { path, text: readFileSync(path, "utf8") };
}

/**
 * The file's playbooks, or undefined after printing each problem on its own
 * line (`line N: path: message`) and setting a failing exit code.
 */
async function checkedFile(db: Queryable, file: string, json: boolean): Promise<Playbooks | undefined> {
  const { path, text } = readPlaybooksFile(file);
  const r = await checkPlaybooks(db, text);
  if (r.ok) return r.playbooks;
  process.exitCode = 1;
  if (json) console.log(JSON.stringify({ ok: false, file: path, errors: r.errors }, null, 2));
  else process.stderr.write(`${formatConfigErrors(r.errors)}\n`);
  return undefined;
}

/** Keys in one order, so two definitions compare equal whatever order they were stored in. */
const pct = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, digits = 1) => (x === null ? "-" : x.toFixed(digits));
const money = (x: number) => x.toLocaleString("en", { maximumFractionDigits: 0 });

export function printSimulation(r: SimulationReport, label: string): void {
  const out: string[] = [];
  out.push(
    `${label} replayed over ${r.from} to ${r.to}: ${r.months} months (${num(r.weeks)} weeks), ${r.accounts} accounts, in ${r.seconds} s`,
  );
  out.push(
    `plays opened      ${r.plays_opened}: ${num(r.plays_per_week)} a week, ${num(r.plays_per_owner_per_week, 2)} per owner a week (${r.first_month_plays} at once in the first month)`,
  );
  out.push("", `  ${"owner".padEnd(44)} ${"plays".padStart(6)} ${"a week".padStart(7)}`);
  for (const o of r.per_owner)
    out.push(
      `  ${(o.owner ? `${o.owner.name} <${o.owner.email}>` : "(no owner)").slice(0, 44).padEnd(44)} ${String(o.plays).padStart(6)} ${num(o.per_week, 2).padStart(7)}`,
    );
  out.push(
    "",
    `  ${"playbook".padEnd(24)} ${"plays".padStart(6)} ${"churners reached".padStart(17)} ${"on churners".padStart(12)}`,
  );
  for (const p of r.per_playbook)
    out.push(
      `  ${p.playbook.slice(0, 24).padEnd(24)} ${String(p.plays).padStart(6)} ${String(p.churners_reached).padStart(17)} ${pct(p.plays_on_churners_share).padStart(12)}`,
    );
  out.push(
    "",
    `churners          ${r.churners} (churned from ${r.from} to 90 days after ${r.to})`,
    `  reached         ${r.churners_reached} (${pct(r.churners_reached_share)}); >= 60 days ahead ${pct(r.churners_reached_60d_share)}, >= 90 days ahead ${pct(r.churners_reached_90d_share)}; median ${num(r.median_days_ahead, 0)} days ahead`,
    `plays on churners ${pct(r.plays_on_churners_share)} of plays were on accounts that churned within 90 days`,
    `ARR covered       ${money(r.arr_covered)} of ${money(r.arr_total)} (${pct(r.arr_covered_share)})`,
  );
  console.log(out.join("\n"));
}

interface SimulateFlags {
  file?: string;
  from: string;
  to: string;
  json?: boolean;
}

export function playbooksCommands(program: Command): void {
  const playbooks = program
    .command("playbooks")
    .description("the playbooks: check a file, apply it, show the active one, simulate over the history");

  playbooks
    .command("check")
    .description("validate a playbooks file: every problem on its own line with its line and path")
    .argument("<file>", "the playbooks YAML")
    .option("--json", 'print {"ok": …, "errors": [{path, message, line}]}')
    .action(async (file: string, flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const pbs = await checkedFile(db, file, flags.json ?? false);
          if (!pbs) return;
          if (flags.json) console.log(JSON.stringify({ ok: true, playbooks: pbs.playbooks.length }));
          else console.log(`${resolve(file)}: ${pbs.playbooks.length} playbooks, no problems`);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  playbooks
    .command("apply")
    .description("validate a playbooks file and make it the new active version (and the playbooks file)")
    .argument("<file>", "the playbooks YAML")
    .option("--json", "print the new version as JSON")
    .action(async (file: string, flags: { json?: boolean }) => {
      try {
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          const pbs = await checkedFile(db, file, flags.json ?? false);
          if (!pbs) return;
          const previous = await activePlaybooks(db);
          const { saved, changed } = await savePlaybooks(db, pbs, "file", cliActor());
          const path = resolve(file);
          const copied = path !== resolve(config.playbooksFile);
          if (copied) copyFileSync(path, config.playbooksFile);
          const out = {
            version: saved.version,
            previous_version: previous.version,
            changed,
            playbooks_file: config.playbooksFile,
          };
          if (flags.json) console.log(JSON.stringify(out, null, 2));
          else if (!changed)
            console.log(
              `${path} is already the active playbooks (v${saved.version})${copied ? `; copied to ${config.playbooksFile}` : ""}`,
            );
          else
            console.log(
              `playbooks v${saved.version} are active (were v${previous.version})${copied ? `; copied to ${config.playbooksFile}` : ""}`,
            );
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  playbooks
    .command("show")
    .description("print the active playbooks as YAML (or, with --default, the commented default file)")
    .option("--default", "the default playbooks, commented, to start a file from")
    .action(async (flags: { default?: boolean }) => {
      try {
        if (flags.default) return void process.stdout.write(DEFAULT_PLAYBOOKS_YAML);
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          process.stdout.write(playbooksYaml(await activePlaybooks(db), config.playbooksFile));
        });
      } catch (err) {
        reportError(err, false);
      }
    });

  playbooks
    .command("simulate")
    .description(
      "replay playbooks over the monthly score history, writing nothing: plays per week and per owner, churners reached and how far ahead",
    )
    .option("--file <file>", "simulate this playbooks YAML instead of the active playbooks")
    .requiredOption("--from <date>", "first month replayed (YYYY-MM-DD)")
    .requiredOption("--to <date>", "last month replayed (YYYY-MM-DD)")
    .option(
      "--json",
      "print the report as JSON (plays_per_week, plays_per_owner_per_week, churners_reached_share, …)",
    )
    .action(async (flags: SimulateFlags) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          let pbs: Playbooks;
          let label: string;
          if (flags.file) {
            const checked = await checkedFile(db, flags.file, flags.json ?? false);
            if (!checked) return;
            pbs = checked;
            label = resolve(flags.file);
          } else {
            const active = await activePlaybooks(db);
            pbs = active.playbooks;
            label = `playbooks v${active.version} (active)`;
          }
          const report = await simulateStored(db, { playbooks: pbs, from: flags.from, to: flags.to });
          if (flags.json) console.log(JSON.stringify(report, null, 2));
          else printSimulation(report, label);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });
}
