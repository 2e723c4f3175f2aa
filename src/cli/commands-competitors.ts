import type { Command } from "commander";
import { AppError } from "../errors.js";
import { type Competitor, listCompetitors, setCompetitors } from "../signals/competitors.js";
import { redetectText } from "../signals/text-findings.js";
import type { Db } from "../store/index.js";
import { cliActor } from "./cli-actor.js";
import { withStore } from "./context.js";
import { reportError } from "./output.js";

const collect = (v: string, all: string[]) => [...all, v];

/** Replaces the list (checked and audited), then reads the stored text again when it changed. */
async function replace(db: Db, list: Competitor[], json: boolean): Promise<Competitor[]> {
  const { competitors, changed } = await db.transaction((tx) => setCompetitors(tx, list, cliActor()));
  if (changed) {
    const r = await redetectText(db);
    if (!json) console.log(`read ${r.records} records again: ${r.findings} findings`);
  } else if (!json) console.log("no change");
  return competitors;
}

function show(list: readonly Competitor[]): void {
  if (list.length === 0)
    return void console.log("no competitors (add one: keepwell competitors set NAME --alias ALIAS)");
  for (const c of list) console.log(c.aliases.length ? `${c.name}  (also: ${c.aliases.join(", ")})` : c.name);
}

/** `keepwell competitors set | list | remove`: the competitors text analysis looks for. */
export function competitorsCommands(program: Command): void {
  const cmd = program
    .command("competitors")
    .description(
      "the competitors looked for in tickets, notes, survey comments and lost deals: set, list, remove",
    );

  cmd
    .command("set")
    .description("add a competitor, or replace its aliases; the stored text is read again")
    .argument("<name>", 'as people name it, e.g. "Northwind Analytics"')
    .option("--alias <alias>", "another name customers use (repeat for more)", collect, [] as string[])
    .option("--json", "print the competitors as JSON")
    .action(async (name: string, flags: { alias: string[]; json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const current = await listCompetitors(db);
          const key = name.trim().toLowerCase();
          const others = current.filter((c) => c.name.toLowerCase() !== key);
          const list = await replace(db, [...others, { name, aliases: flags.alias }], flags.json ?? false);
          if (flags.json) console.log(JSON.stringify(list, null, 2));
          else show(list);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  cmd
    .command("list")
    .description("every competitor and its aliases")
    .option("--json", 'print [{"name", "aliases"}]')
    .action(async (flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const list = await listCompetitors(db);
          if (flags.json) console.log(JSON.stringify(list, null, 2));
          else show(list);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  cmd
    .command("remove")
    .description(
      "stop looking for a competitor (its findings go when the stored text is read again, at once)",
    )
    .argument("<name>", "its name (any case)")
    .action(async (name: string) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const current = await listCompetitors(db);
          const key = name.trim().toLowerCase();
          const rest = current.filter((c) => c.name.toLowerCase() !== key);
          if (rest.length === current.length)
            throw new AppError("not_found", `no competitor named ${JSON.stringify(name)}`, {
              details: [{ field: "name", message: "no such competitor" }],
            });
          await replace(db, rest, false);
          console.log(`removed ${name}`);
        });
      } catch (err) {
        reportError(err, false);
      }
    });
}
