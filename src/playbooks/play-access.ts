import { allows, type Principal, teamOf } from "../auth/index.js";
import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";

/**
 * Whose plays a caller may change, as data a query can use: every play, or
 * the plays these users own.
 */
export interface ChangeScope {
  all: boolean;
  owners: string[];
}

/** The system itself (the CLI on the server's own shell, the jobs): every play. */
export const EVERY_PLAY: ChangeScope = { all: true, owners: [] };

/**
 * Who may change a play (acknowledge, start, snooze, reassign, note, close,
 * tick a step): an admin, or an API key with `write` (or `admin`), any play;
 * a leader or CSM the plays they own and those of anyone who reports to them,
 * directly or not (so a play's owner, and anyone up the owner's manager
 * chain); an executive only the plays they own; a viewer none. An inactive
 * user none.
 */
export async function changeScope(q: Queryable, who: Principal): Promise<ChangeScope> {
  if (who.kind === "key") return { all: allows(who, "plays.write"), owners: [] };
  const u = who.user;
  if (!u.active) return { all: false, owners: [] };
  switch (u.role) {
    case "admin":
      return EVERY_PLAY;
    case "leader":
    case "csm":
      return { all: false, owners: [u.id, ...(await teamOf(q, u.id))] };
    case "executive":
      return { all: false, owners: [u.id] };
    default:
      return { all: false, owners: [] };
  }
}

export function scopeAllows(scope: ChangeScope, owner: string | null): boolean {
  return scope.all || (owner !== null && scope.owners.includes(owner));
}

/** Whether `who` may change a play owned by `play.owner_user`. */
export async function canChangePlay(
  q: Queryable,
  who: Principal,
  play: { owner_user: string | null },
): Promise<boolean> {
  return scopeAllows(await changeScope(q, who), play.owner_user);
}

/** Why `who` may not change the play, in words (for the 403). */
export function whyNot(who: Principal, ownerEmail: string | null): string {
  if (who.kind === "key")
    return `this key's scopes (${who.key.scopes.join(", ")}) do not grant changing plays: it needs write or admin`;
  const owner = ownerEmail ? `${ownerEmail}'s` : "nobody's (unassigned: an admin assigns it)";
  switch (who.user.role) {
    case "viewer":
      return "a viewer changes no plays";
    case "executive":
      return `an executive changes only the plays they own; this play is ${owner}`;
    default:
      return who.user.active
        ? `only the play's owner, someone up their manager chain, or an admin may change it; this play is ${owner}`
        : "this user is deactivated";
  }
}

/**
 * A check for play changes made through the API: throws a 403 saying why
 * unless `who` may change the play. Step owners may also tick their own step
 * (see play-changes.ts), whoever owns the play.
 */
export async function requireChangePlay(
  q: Queryable,
  who: Principal,
  play: { owner_user: string | null },
): Promise<void> {
  if (await canChangePlay(q, who, play)) return;
  const [owner] = play.owner_user
    ? await q.query<{ email: string }>("SELECT email FROM users WHERE id = $1", [play.owner_user])
    : [];
  throw new AppError("forbidden", whyNot(who, owner?.email ?? null));
}
