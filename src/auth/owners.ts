import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";
import { audit } from "./audit.js";
import type { Actor } from "./principal.js";

/**
 * The user an account's `owner` (the CSM as the CRM names them) stands for,
 * as SQL over the column `col`: a mapping an admin made, else the user with
 * that email, else the one user with that name (two users of one name leave
 * it unresolved). Null when none.
 */
export function ownerUserIdSql(col: string): string {
  return `coalesce(
    (SELECT m.user_id FROM owner_mappings m WHERE m.owner = ${col}),
    (SELECT ue.id FROM users ue WHERE lower(ue.email) = lower(${col})),
    (SELECT min(un.id) FROM users un WHERE lower(un.name) = lower(${col}) HAVING count(*) = 1))`;
}

export type OwnerResolution = {
  owner: string;
  accounts: number;
  user: { id: string; name: string; email: string } | null;
  /** How it resolved: mapped by an admin, by email, by name; null when unresolved. */
  by: "mapping" | "email" | "name" | null;
};

/** Every owner named on an account, with the user it resolves to (unresolved ones first). */
export async function listOwners(q: Queryable): Promise<OwnerResolution[]> {
  return q.query<OwnerResolution>(
    `WITH o AS (SELECT owner, count(*)::int AS accounts FROM accounts WHERE owner IS NOT NULL GROUP BY owner),
     r AS (SELECT o.*, ${ownerUserIdSql("o.owner")} AS user_id,
             CASE WHEN EXISTS (SELECT 1 FROM owner_mappings m WHERE m.owner = o.owner) THEN 'mapping'
                  WHEN EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(o.owner)) THEN 'email'
                  ELSE 'name' END AS how
           FROM o)
     SELECT r.owner, r.accounts,
            CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'name', u.name, 'email', u.email) END AS user,
            CASE WHEN u.id IS NULL THEN NULL ELSE r.how END AS by
     FROM r LEFT JOIN users u ON u.id = r.user_id
     ORDER BY (u.id IS NOT NULL), lower(r.owner)`,
  );
}

/** Maps an owner name to a user (or removes the mapping with `userId` null). */
export async function mapOwner(
  q: Queryable,
  owner: string,
  userId: string | null,
  actor: Actor,
): Promise<void> {
  const [before] = await q.query<{ user_id: string }>("SELECT user_id FROM owner_mappings WHERE owner = $1", [
    owner,
  ]);
  if (userId === null) {
    await q.query("DELETE FROM owner_mappings WHERE owner = $1", [owner]);
  } else {
    const [u] = await q.query<{ id: string }>("SELECT id FROM users WHERE id = $1", [userId]);
    if (!u)
      throw new AppError("validation_failed", "user_id: no such user", {
        details: [{ field: "user_id", message: "no such user" }],
      });
    await q.query(
      `INSERT INTO owner_mappings (owner, user_id) VALUES ($1, $2)
       ON CONFLICT (owner) DO UPDATE SET user_id = EXCLUDED.user_id, created_at = now()`,
      [owner, userId],
    );
  }
  await audit(q, actor, "owner.mapped", {
    subjectType: "owner",
    subjectId: owner,
    before: before ? { user_id: before.user_id } : null,
    after: userId ? { user_id: userId } : null,
  });
}
