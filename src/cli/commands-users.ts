import type { Command } from "commander";
import { audit, createLink, createUser, findUserByEmail, listUsers, updateUser } from "../auth/index.js";
import { AppError } from "../errors.js";
import { cliActor, linkBase, passwordFromStdin } from "./cli-actor.js";
import { configOf, withStore } from "./context.js";
import { reportError } from "./output.js";

interface AddFlags {
  email: string;
  name: string;
  role: string;
  manager?: string;
  timeZone?: string;
  passwordStdin?: boolean;
  json?: boolean;
}

/** `keepwell users add | list | reset-link | deactivate`: the team, from the server's own shell. */
export function usersCommands(program: Command): void {
  const users = program
    .command("users")
    .description("the people who use Keepwell: add, list, reset a password");

  users
    .command("add")
    .description(
      "add a user; without --password-stdin, prints a one-time link for them to set their password",
    )
    .requiredOption("--email <email>", "their email (unique)")
    .requiredOption("--name <name>", "their name")
    .requiredOption("--role <role>", "admin, executive, leader, csm or viewer")
    .option("--manager <email>", "their manager (another user)")
    .option("--time-zone <tz>", "an IANA time zone (default UTC)")
    .option("--password-stdin", "read their password from standard input (one line)")
    .option("--json", "print the user (and the link) as JSON")
    .action(async (flags: AddFlags) => {
      try {
        const password = flags.passwordStdin ? await passwordFromStdin() : undefined;
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          const out = await db.transaction(async (tx) => {
            const user = await createUser(
              tx,
              {
                email: flags.email,
                name: flags.name,
                role: flags.role,
                manager: flags.manager,
                time_zone: flags.timeZone,
                password,
              },
              cliActor(),
            );
            const link = password
              ? undefined
              : `${linkBase(config)}/reset?token=${await createLink(tx, "reset", user.id, new Date())}`;
            return { user, link };
          });
          if (flags.json) console.log(JSON.stringify(out, null, 2));
          else {
            console.log(`added ${out.user.name} <${out.user.email}> as ${out.user.role}`);
            if (out.link) console.log(`they set their password at (one use, 72 hours): ${out.link}`);
          }
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  users
    .command("list")
    .description("every user with their role and manager")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const all = await listUsers(db);
          if (flags.json) return void console.log(JSON.stringify(all, null, 2));
          const byId = new Map(all.map((u) => [u.id, u]));
          for (const u of all) {
            const manager = u.manager_id
              ? ` (reports to ${byId.get(u.manager_id)?.email ?? u.manager_id})`
              : "";
            console.log(
              `${u.email.padEnd(32)} ${u.role.padEnd(9)} ${u.active ? "" : "inactive "}${u.name}${manager}`,
            );
          }
          if (all.length === 0)
            console.log("no users yet: `keepwell serve` prints a setup link, or `keepwell users add`");
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  users
    .command("reset-link")
    .description("a one-time link for a user to set a new password (72 hours)")
    .argument("<email>", "the user's email")
    .option("--json", 'print {"link": …}')
    .action(async (email: string, flags: { json?: boolean }) => {
      try {
        const config = configOf(program);
        await withStore(program, { config }, async ({ db }) => {
          const link = await db.transaction(async (tx) => {
            const user = await findUserByEmail(tx, email);
            if (!user)
              throw new AppError("not_found", `no user with the email ${JSON.stringify(email.slice(0, 80))}`);
            const token = await createLink(tx, "reset", user.id, new Date());
            await audit(tx, cliActor(), "user.reset_link_created", {
              subjectType: "user",
              subjectId: user.id,
            });
            return `${linkBase(config)}/reset?token=${token}`;
          });
          console.log(flags.json ? JSON.stringify({ link }) : link);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  users
    .command("deactivate")
    .description("deactivate a user (their sessions end at once)")
    .argument("<email>", "the user's email")
    .action(async (email: string) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          await db.transaction(async (tx) => {
            const user = await findUserByEmail(tx, email);
            if (!user)
              throw new AppError("not_found", `no user with the email ${JSON.stringify(email.slice(0, 80))}`);
            await updateUser(tx, user.id, { active: false }, cliActor());
          });
          console.log(`deactivated ${email}`);
        });
      } catch (err) {
        reportError(err, false);
      }
    });
}
