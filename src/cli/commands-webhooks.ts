import type { Command } from "commander";
import type { Config } from "../config.js";
import { closeHttpAgent } from "../notify/channels/index.js";
import { getDelivery, listDeliveries, replayDelivery } from "../notify/delivery-log.js";
import {
  createWebhook,
  type EngineDeps,
  listWebhooks,
  removeWebhook,
  rotateWebhookSecret,
} from "../notify/webhook-admin.js";
import { sendTestEvent } from "../notify/webhook-test.js";
import type { Db } from "../store/index.js";
import { cliActor, linkBase } from "./cli-actor.js";
import { secretsOf } from "./commands-serve.js";
import { withStore } from "./context.js";
import { reportError } from "./output.js";

/**
 * `keepwell webhooks add | list | rotate | remove | test` and `keepwell
 * deliveries [replay]`: outbound webhooks from the server's shell. The CLI
 * acts as the system; the audit log names it `cli (<os user>)`. Secrets are
 * sealed with the store's key (KEEPWELL_SECRET_KEY, or the data folder's key file).
 */

const list = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== "");

function engine(db: Db, config: Config): EngineDeps {
  return {
    db,
    secrets: secretsOf(config),
    clock: () => new Date(),
    config: { smtp: config.smtp, publicUrl: linkBase(config) },
  };
}

/** Runs `fn` on the store with the engine's deps, reporting a failure (as JSON with --json). */
function act(program: Command, json: boolean, fn: (deps: EngineDeps) => Promise<void>): Promise<void> {
  return withStore(program, {}, ({ db, config }) => fn(engine(db, config)))
    .catch((err) => reportError(err, json))
    .finally(() => closeHttpAgent());
}

const pad = (s: string, n: number) => s.padEnd(n);

export function webhooksCommands(program: Command): void {
  const hooks = program
    .command("webhooks")
    .description("outbound webhook endpoints: add, list, rotate, remove, test");

  hooks
    .command("add")
    .description("add an endpoint; its signing secret (whsec_…) is printed this once")
    .argument("<url>", "the http(s) address to call")
    .option("--events <types>", "comma-separated event types (default: every event)")
    .option("--description <text>", "what it is for")
    .option("--json", 'print {"id", "secret"}')
    .action((url: string, f: { events?: string; description?: string; json?: boolean }) =>
      act(program, f.json ?? false, async (deps) => {
        const made = await createWebhook(
          deps,
          { url, event_types: list(f.events), description: f.description },
          cliActor(),
          { url: "url", event_types: "events" },
        );
        if (f.json) return void console.log(JSON.stringify({ id: made.id, secret: made.secret }));
        console.log(`added ${made.id} → ${made.url} (${made.event_types.join(", ") || "every event"})`);
        console.log("Its signing secret, shown this once (verify webhook-signature with it):");
        console.log(made.secret);
      }),
    );

  hooks
    .command("list")
    .description("every endpoint, with its deliveries (never a secret)")
    .option("--json", "print as JSON")
    .action((f: { json?: boolean }) =>
      act(program, f.json ?? false, async ({ db }) => {
        const all = await listWebhooks(db);
        if (f.json) return void console.log(JSON.stringify(all, null, 2));
        if (all.length === 0) return void console.log("no webhook endpoints");
        console.log(`${pad("id", 24)} ${pad("state", 9)} ${pad("delivered/pending/dead", 23)} url  (events)`);
        for (const w of all) {
          const state = w.disabled_at ? (w.disabled_reason === "removed" ? "removed" : "disabled") : "active";
          const d = w.deliveries;
          console.log(
            `${pad(w.id, 24)} ${pad(state, 9)} ${pad(`${d.delivered}/${d.pending}/${d.dead}`, 23)} ${w.url}  (${w.event_types.join(", ") || "every event"})`,
          );
        }
      }),
    );

  hooks
    .command("rotate")
    .description("a new signing secret (printed once); the old one keeps signing for the grace time")
    .argument("<id>", "the endpoint's id")
    .option("--grace-hours <n>", "hours the old secret still signs (0–168)", "24")
    .option("--json", 'print {"id", "secret"}')
    .action((id: string, f: { graceHours: string; json?: boolean }) =>
      act(program, f.json ?? false, async (deps) => {
        const r = await rotateWebhookSecret(deps, id, Number(f.graceHours), cliActor());
        if (f.json) return void console.log(JSON.stringify(r));
        console.log(`rotated ${id}; the new signing secret, shown this once:`);
        console.log(r.secret);
        console.log(`The old secret keeps signing beside it for ${f.graceHours} hours.`);
      }),
    );

  hooks
    .command("remove")
    .description("remove an endpoint: disabled for good, its pending deliveries cancelled")
    .argument("<id>", "the endpoint's id")
    .action((id: string) =>
      act(program, false, async (deps) => {
        await removeWebhook(deps, id, cliActor());
        console.log(`removed ${id}`);
      }),
    );

  hooks
    .command("test")
    .description("send the endpoint a test event now, and say how it went")
    .argument("<id>", "the endpoint's id")
    .option("--json", "print the delivery as JSON")
    .action((id: string, f: { json?: boolean }) =>
      act(program, f.json ?? false, async (deps) => {
        const d = await getDelivery(deps.db, await sendTestEvent(deps, id, cliActor()));
        if (f.json) return void console.log(JSON.stringify(d, null, 2));
        const how =
          d.state === "delivered" ? `delivered (${d.last_status})` : `${d.state}: ${d.last_error ?? ""}`;
        console.log(`test event ${d.id} to ${d.target}: ${how}`);
        if (d.state !== "delivered") process.exitCode = 1;
      }),
    );

  const deliveries = program
    .command("deliveries")
    .description("outgoing emails, Slack posts and webhook calls, newest first; replay one")
    .option("--state <states>", "comma-separated (dead,uncertain: the dead letters)")
    .option("--channel <channels>", "comma-separated: email, slack, webhook")
    .option("--endpoint <id>", "one webhook endpoint's")
    .option("--limit <n>", "how many (at most 500)", "50")
    .option("--json", "print as JSON")
    .action((f: { state?: string; channel?: string; endpoint?: string; limit: string; json?: boolean }) =>
      act(program, f.json ?? false, async ({ db }) => {
        const limit = Math.min(500, Math.max(1, Number.parseInt(f.limit, 10) || 50));
        const page = await listDeliveries(db, {
          state: list(f.state),
          channel: list(f.channel),
          endpoint: f.endpoint,
          limit,
        });
        if (f.json) return void console.log(JSON.stringify(page, null, 2));
        if (page.items.length === 0) return void console.log("no deliveries");
        for (const d of page.items)
          console.log(
            `${pad(d.created_at.slice(0, 19).replace("T", " "), 20)} ${pad(d.state, 10)} ${pad(d.channel, 8)} ${pad(d.event_type, 22)} ${pad(d.id, 16)} ${d.target}${d.last_error ? ` — ${d.last_error}` : ""}`,
          );
      }),
    );

  deliveries
    .command("replay")
    .description("send a dead, uncertain, cancelled (or delivered) delivery again, with the same id")
    .argument("<id>", "the delivery's id")
    .action((id: string) =>
      act(program, false, async (deps) => {
        await replayDelivery(deps, id, cliActor());
        console.log(`${id} is pending again: the server's workers will deliver it (within about a minute)`);
      }),
    );
}
