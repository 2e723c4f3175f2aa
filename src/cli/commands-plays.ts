import type { Command } from "commander";
import { findUserByEmail } from "../auth/index.js";
import { AppError } from "../errors.js";
import {
  changePlay,
  checkedInput,
  closeInput,
  EVERY_PLAY,
  getPlay,
  listPlays,
  type Play,
  type PlayEvent,
  type PlayQuery,
  STATE_FILTERS,
  type StateFilter,
} from "../playbooks/index.js";
import type { Queryable } from "../store/index.js";
import { cliActor } from "./cli-actor.js";
import { withStore } from "./context.js";
import { reportError } from "./output.js";

/**
 * `keepwell plays list | show | ack | close`: the plays, from the server's own
 * shell. The CLI acts as the system (an admin): it may change every play, and
 * the play's history and the audit log name it as `cli (<os user>)`.
 */

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

/** --owner: an email, `unassigned`, or `me` (the user whose email is in KEEPWELL_USER). */
async function ownerOf(db: Queryable, owner: string): Promise<string | null> {
  if (owner === "unassigned") return null;
  let email = owner;
  if (owner === "me") {
    const me = process.env.KEEPWELL_USER;
    if (!me)
      throw invalid(
        "owner",
        "the CLI acts as the system, not as a user: set KEEPWELL_USER to your email for --owner me, or pass --owner EMAIL",
      );
    email = me;
  }
  const user = await findUserByEmail(db, email);
  if (!user) throw invalid("owner", `no user with the email ${JSON.stringify(email.slice(0, 80))}`);
  return user.id;
}

const minute = 60_000;
function lateText(ms: number): string {
  const d = Math.floor(ms / (1440 * minute));
  const h = Math.floor((ms % (1440 * minute)) / (60 * minute));
  const m = Math.floor((ms % (60 * minute)) / minute);
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "-");
const who = (p: Play["owner"]) => (p ? p.email : "unassigned");
const scoreText = (a: Play["account"]) =>
  a.band ? `${a.band}${a.score === null ? "" : ` ${Math.round(a.score)}`}` : "not scored";

function printList(plays: Play[]): void {
  if (plays.length === 0) return void console.log("no plays");
  const rows = plays.map((p) => [
    when(p.due_at),
    p.overdue && p.late_ms !== null ? `${lateText(p.late_ms)} late` : "",
    p.state,
    p.playbook,
    `${p.account.name} (${scoreText(p.account)})`,
    who(p.owner),
    p.id,
  ]);
  const head = ["due", "overdue", "state", "playbook", "account", "owner", "id"];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(width[i] ?? 0)))
      .join("  ")
      .trimEnd();
  console.log(line(head));
  for (const r of rows) console.log(line(r));
}

function printPlay(p: Play & { events: PlayEvent[] }): void {
  const out: string[] = [];
  out.push(`${p.id}  ${p.name} (${p.playbook}, tier ${p.tier}, playbooks v${p.playbook_version})`);
  out.push(`account   ${p.account.name} (${p.account.id}): ${scoreText(p.account)}`);
  out.push(`reason    ${p.reason}`);
  const late = p.overdue && p.late_ms !== null ? `, ${lateText(p.late_ms)} late` : "";
  out.push(`state     ${p.state}: opened ${when(p.opened_at)}, due ${when(p.due_at)}${late}`);
  if (p.snoozed_until) out.push(`snoozed   until ${when(p.snoozed_until)}: ${p.snooze_reason ?? ""}`);
  if (p.condition_cleared_at)
    out.push(`cleared   ${when(p.condition_cleared_at)}: ${p.cleared_reason ?? ""}`);
  out.push(`owner     ${p.owner ? `${p.owner.name} <${p.owner.email}>` : "unassigned"} (via ${p.owner_via})`);
  if (p.collaborators.length > 0) out.push(`with      ${p.collaborators.map((c) => c.email).join(", ")}`);
  if (p.outcome) {
    const amount = p.outcome_amount === null ? "" : ` (${p.outcome_amount.toLocaleString("en")})`;
    out.push(
      `outcome   ${p.outcome}${amount}, ${when(p.closed_at)} by ${p.closed_by}${p.outcome_note ? `: ${p.outcome_note}` : ""}`,
    );
  }
  if (p.steps.length > 0) out.push("steps");
  for (const s of p.steps)
    out.push(
      `  [${s.done_at ? "x" : " "}] ${s.title} (${s.key}; ${s.owner?.email ?? "unassigned"}; due ${when(s.due_at)}${
        s.done_at ? `; done ${when(s.done_at)} by ${s.done_by}` : ""
      })`,
    );
  if (p.notes.length > 0) out.push("notes");
  for (const n of p.notes) out.push(`  ${when(n.at)} ${n.by}: ${n.text}`);
  out.push("history");
  for (const e of p.events) {
    const detail = Object.keys(e.detail).length > 0 ? ` ${JSON.stringify(e.detail)}` : "";
    out.push(`  ${when(e.at)} ${e.kind} by ${e.actor ?? "-"}${detail}`);
  }
  console.log(out.join("\n"));
}

interface ListFlags {
  owner?: string;
  overdue?: boolean;
  state?: string;
  playbook?: string;
  account?: string;
  json?: boolean;
}

export function playsCommands(program: Command): void {
  const plays = program
    .command("plays")
    .description("the plays the playbooks opened: list, show, acknowledge, close (acting as an admin)");

  plays
    .command("list")
    .description("plays by due time (every play not closed unless --state says otherwise)")
    .option("--owner <email>", "only this user's plays; `me` (KEEPWELL_USER) or `unassigned`")
    .option("--overdue", "only plays past due")
    .option("--state <state>", `one of ${STATE_FILTERS.join(", ")} (default active: not closed)`)
    .option("--playbook <key>", "only this playbook's plays")
    .option("--account <id>", "only this account's plays")
    .option("--json", "print {plays: [...]} as JSON")
    .action(async (flags: ListFlags) => {
      try {
        if (flags.state !== undefined && !(STATE_FILTERS as readonly string[]).includes(flags.state))
          throw invalid("state", `must be one of ${STATE_FILTERS.join(", ")}`);
        await withStore(program, {}, async ({ db }) => {
          const now = new Date();
          const query: PlayQuery = {
            owner: flags.owner === undefined ? undefined : await ownerOf(db, flags.owner),
            state: flags.state as StateFilter | undefined,
            overdue: flags.overdue ? true : undefined,
            playbook: flags.playbook,
            account: flags.account,
            limit: 500,
          };
          const all: Play[] = [];
          for (;;) {
            const page = await listPlays(db, query, { now, scope: EVERY_PLAY });
            all.push(...page.plays);
            if (!page.next_cursor) break;
            query.cursor = page.next_cursor;
          }
          if (flags.json) console.log(JSON.stringify({ plays: all }, null, 2));
          else printList(all);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  plays
    .command("show")
    .description("one play: its reason, steps, notes and history")
    .argument("<id>", "the play's id")
    .option("--json", "print the play (with its events) as JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const play = await getPlay(db, id, { now: new Date(), scope: EVERY_PLAY });
          if (flags.json) console.log(JSON.stringify(play, null, 2));
          else printPlay(play);
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  plays
    .command("ack")
    .description("acknowledge a play (open → acknowledged)")
    .argument("<id>", "the play's id")
    .option("--json", "print the play as JSON")
    .action(async (id: string, flags: { json?: boolean }) => {
      try {
        await withStore(program, {}, async ({ db }) => {
          const { play, changed } = await changePlay(
            db,
            id,
            { kind: "acknowledge" },
            { actor: cliActor(), now: new Date(), scope: EVERY_PLAY },
          );
          if (flags.json) return void console.log(JSON.stringify(play, null, 2));
          console.log(
            changed
              ? `acknowledged ${play.id} (${play.account.name}: ${play.name})`
              : `${play.id} was already acknowledged (${play.state}): nothing changed`,
          );
        });
      } catch (err) {
        reportError(err, flags.json ?? false);
      }
    });

  plays
    .command("close")
    .description("close a play with its outcome")
    .argument("<id>", "the play's id")
    .option("--outcome <outcome>", "saved, expanded, downgraded, lost or not_needed (required)")
    .option("--note <text>", "what happened")
    .option("--amount <n>", "the amount (required for expanded)")
    .option("--json", "print the play as JSON")
    .action(
      async (id: string, flags: { outcome?: string; note?: string; amount?: string; json?: boolean }) => {
        try {
          const input = checkedInput(closeInput, {
            outcome: flags.outcome,
            note: flags.note,
            amount: flags.amount === undefined ? undefined : Number(flags.amount),
          });
          await withStore(program, {}, async ({ db }) => {
            const { play } = await changePlay(
              db,
              id,
              { kind: "close", ...input },
              { actor: cliActor(), now: new Date(), scope: EVERY_PLAY },
            );
            if (flags.json) return void console.log(JSON.stringify(play, null, 2));
            console.log(`closed ${play.id} (${play.account.name}: ${play.name}) as ${play.outcome}`);
          });
        } catch (err) {
          reportError(err, flags.json ?? false);
        }
      },
    );
}
