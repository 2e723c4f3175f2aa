import type { Command } from "commander";
import { checked } from "../api/notify-schemas.js";
import type { Config } from "../config.js";
import { closeMailers } from "../notify/deliver.js";
import type { NotifyDeps } from "../notify/deps.js";
import { applySettings, type SettingsView, settingsInput, settingsView } from "../notify/settings-admin.js";
import { sendTestEmail, testEmailInput } from "../notify/test-email.js";
import type { Db } from "../store/index.js";
import { cliActor, linkBase, passwordFromStdin } from "./cli-actor.js";
import { secretsOf } from "./commands-serve.js";
import { withStore } from "./context.js";
import { reportError } from "./output.js";

/** What the notification engine needs, from the command line's store and configuration (no job queue). */
export function cliNotifyDeps(db: Db, config: Config): NotifyDeps {
  return {
    db,
    clock: () => new Date(),
    secrets: secretsOf(config),
    config: { smtp: config.smtp, publicUrl: linkBase(config) },
  };
}

function printSettings(s: SettingsView): void {
  if (s.smtp) {
    const m = s.smtp;
    console.log(
      `SMTP (${s.smtp_source === "environment" ? "from KEEPWELL_SMTP_*" : "settings"}): ${m.host}:${m.port} ${m.security}` +
        `${m.user ? `, user ${m.user}` : ""}, password ${m.password_set ? "set" : "not set"}, from ${m.from}`,
    );
  } else console.log("SMTP: not set up (email is off)");
  if (s.slack_channels.length === 0) console.log("Slack channels: none");
  for (const c of s.slack_channels)
    console.log(`Slack channel ${c.name} (${c.id})${c.disabled ? " — disabled" : ""}`);
  console.log(
    `Budget: ${s.budget_per_day} immediate alerts per person per day; digest at ${s.digest_hour}:00; score drop alerts at ${s.score_drop_points} points`,
  );
}

/** `keepwell notify test --email ADDRESS | settings | smtp`: the team's notification settings from the command line. */
export function notifyCommands(program: Command): void {
  const notify = program
    .command("notify")
    .description("notification settings: show them, set SMTP, send a test email");

  notify
    .command("test")
    .description("send a test email now through the saved settings (exit code 1 when it is not delivered)")
    .requiredOption("--email <address>", "where to send it")
    .option("--json", 'print {"delivery_id", "state", "status", "error"}')
    .action(async (flags: { email: string; json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db, config }) => {
          const { to } = checked(testEmailInput, { to: flags.email });
          const r = await sendTestEmail(cliNotifyDeps(db, config), to).finally(closeMailers);
          if (r.state !== "delivered") process.exitCode = 1;
          if (flags.json) return void console.log(JSON.stringify(r, null, 2));
          if (r.state === "delivered")
            console.log(
              `delivered to ${to}${r.status ? ` (the server answered ${r.status})` : ""} [${r.delivery_id}]`,
            );
          else
            process.stderr.write(
              `not delivered (${r.state}${r.status ? `, ${r.status}` : ""}): ${r.error ?? "no answer"} [${r.delivery_id}]\n`,
            );
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  notify
    .command("settings")
    .description("the team's notification settings (never a secret)")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db, config }) => {
          const s = await settingsView(db, { envSmtp: config.smtp, publicUrl: linkBase(config) });
          if (flags.json) console.log(JSON.stringify(s, null, 2));
          else printSettings(s);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  notify
    .command("smtp")
    .description(
      "set the SMTP server email goes through (the password is read from standard input, never a flag)",
    )
    .requiredOption("--host <host>", "the SMTP server")
    .requiredOption("--port <port>", "its port (465 for tls, 587 for starttls)")
    .requiredOption("--security <security>", "tls, starttls or none")
    .option("--user <user>", "the user to log in as")
    .option("--password-stdin", "read the password from standard input (without it the stored one is kept)")
    .option("--from <from>", 'the sender, e.g. "Keepwell <alerts@example.com>" (default keepwell@<host>)')
    .option("--json", "print the settings as JSON")
    .action(
      async (flags: {
        host: string;
        port: string;
        security: string;
        user?: string;
        passwordStdin?: boolean;
        from?: string;
        json?: boolean;
      }) => {
        try {
          const password = flags.passwordStdin ? await passwordFromStdin() : undefined;
          const input = checked(settingsInput, {
            smtp: {
              host: flags.host,
              port: flags.port,
              security: flags.security,
              user: flags.user ?? null,
              from: flags.from ?? `keepwell@${flags.host}`,
              ...(password === undefined ? {} : { password: password || null }),
            },
          });
          await withStore(program, {}, async ({ db, config }) => {
            const s = await applySettings(db, secretsOf(config), input, {
              actor: cliActor(),
              now: new Date(),
              envSmtp: config.smtp,
              publicUrl: linkBase(config),
            });
            if (flags.json) console.log(JSON.stringify(s, null, 2));
            else printSettings(s);
          });
        } catch (err) {
          reportError(err, flags.json ?? false);
        }
      },
    );
}
