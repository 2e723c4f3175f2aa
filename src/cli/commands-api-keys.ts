import type { Command } from "commander";
import { createKey, listKeys, revokeKey } from "../auth/index.js";
import { cliActor } from "./cli-actor.js";
import { withStore } from "./context.js";
import { reportError } from "./output.js";

/** `keepwell api-keys create | list | revoke`: keys for machines (connectors, automation platforms). */
export function apiKeyCommands(program: Command): void {
  const keys = program.command("api-keys").description("API keys for machines: create, list, revoke");

  keys
    .command("create")
    .description("create a key; it is printed once and stored only as a hash")
    .requiredOption("--name <name>", "what the key is for")
    .requiredOption("--scopes <scopes>", "comma-separated: read, ingest, write, admin")
    .option("--expires <date>", "when it stops working (ISO date or time)")
    .option("--json", 'print {"id", "key", "scopes"}')
    .action(async (flags: { name: string; scopes: string; expires?: string; json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const { key, record } = await db.transaction((tx) =>
            createKey(
              tx,
              {
                name: flags.name,
                scopes: flags.scopes.split(",").map((s) => s.trim()),
                expires_at: flags.expires,
              },
              cliActor(),
              new Date(),
            ),
          );
          if (flags.json) console.log(JSON.stringify({ id: record.id, key, scopes: record.scopes }));
          else {
            console.log(`created ${record.id} (${record.scopes.join(", ")}). The key, shown this once:`);
            console.log(key);
            console.log("Send it as: Authorization: Bearer <key>");
          }
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  keys
    .command("list")
    .description("every key (never the key itself)")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const all = await listKeys(db);
          if (flags.json) return void console.log(JSON.stringify(all, null, 2));
          for (const k of all) {
            const state = k.revoked_at
              ? "revoked"
              : k.expires_at && Date.parse(k.expires_at) < Date.now()
                ? "expired"
                : "active";
            console.log(
              `${k.id.padEnd(18)} ${k.prefix}…  ${state.padEnd(8)} ${k.scopes.join(",").padEnd(20)} ${k.name}  last used ${k.last_used_at ?? "never"}`,
            );
          }
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  keys
    .command("revoke")
    .description("revoke a key (at once)")
    .argument("<id>", "the key's id (key_…)")
    .action(async (id: string) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          await db.transaction((tx) => revokeKey(tx, id, cliActor()));
          console.log(`revoked ${id}`);
        });
      } catch (err) {
        reportError(err, false);
      }
    });
}
