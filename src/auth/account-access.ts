import type { Queryable } from "../store/index.js";
import { ownerUserIdSql } from "./owners.js";
import { allows } from "./permissions.js";
import type { Principal } from "./principal.js";

/**
 * Whether `who` may change an account's work (tasks, outcomes, notes): an
 * admin or a key with `write` any account; a leader the accounts of their
 * team (theirs and their reports', directly or not); a CSM only their own;
 * executives and viewers none.
 */
export async function canChangeAccount(q: Queryable, who: Principal, account: string): Promise<boolean> {
  if (!allows(who, "account.write")) return false;
  if (who.kind === "key" || who.user.role === "admin") return true;
  const [row] = await q.query<{ owner_id: string | null }>(
    `SELECT ${ownerUserIdSql("a.owner")} AS owner_id FROM accounts a WHERE a.id = $1`,
    [account],
  );
  const owner = row?.owner_id;
  if (!owner) return false;
  if (owner === who.user.id) return true;
  if (who.user.role !== "leader") return false;
  const [team] = await q.query<{ member: boolean }>(
    `WITH RECURSIVE team(id) AS (SELECT id FROM users WHERE manager_id = $1
       UNION SELECT u.id FROM users u JOIN team t ON u.manager_id = t.id)
     SELECT EXISTS (SELECT 1 FROM team WHERE id = $2) AS member`,
    [who.user.id, owner],
  );
  return team?.member ?? false;
}
