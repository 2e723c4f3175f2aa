import type { Command } from "commander";
import { AppError } from "../errors.js";
import { ENTITIES, ENTITY_NAMES, importFile, isEntityName } from "../ingest/index.js";
import { JobQueue, queueFreshScores } from "../jobs/index.js";
import { migrate } from "../store/index.js";
import { withStore } from "./context.js";
import { progress, reportError } from "./output.js";

export function factCommands(program: Command): void {
  program
    .command("migrate")
    .description("apply the database migrations that have not run yet")
    .action(async () => {
      await withStore(program, { migrate: false }, async ({ db }) => {
        const applied = await migrate(db);
        console.log(applied.length ? `applied ${applied.join(", ")}` : "the schema is up to date");
      });
    });

  program
    .command("import")
    .description(`import a .csv, .ndjson/.jsonl or .json file of one entity (${ENTITY_NAMES.join(", ")})`)
    .argument("<entity>", "which entity the file holds")
    .argument("<file>", "the file")
    .option("--json", "print the counts as JSON")
    .action(async (entityName: string, file: string, opts: { json?: boolean }) => {
      try {
        if (!isEntityName(entityName)) {
          throw new AppError(
            "unknown_entity",
            `unknown entity "${entityName}": use one of ${ENTITY_NAMES.join(", ")}`,
          );
        }
        await withStore(program, {}, async ({ db }) => {
          const bar = progress(`importing ${entityName}`);
          // The accounts it changed are queued for fresh scores in the import's own transaction:
          // a running server or `keepwell worker` scores them, or the next one to start.
          const jobs = await JobQueue.open(db);
          const r = await importFile(db, ENTITIES[entityName], file, {
            onProgress: bar.update,
            inTransaction: queueFreshScores(jobs),
          }).finally(bar.done);
          const counts = { inserted: r.inserted, updated: r.updated, unchanged: r.unchanged };
          if (opts.json) console.log(JSON.stringify(counts));
          else {
            console.log(
              `${entityName}: ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged`,
            );
            if (r.ignoredColumns.length) console.log(`ignored columns: ${r.ignoredColumns.join(", ")}`);
          }
        });
      } catch (err) {
        reportError(err, opts.json ?? false);
      }
    });
}
