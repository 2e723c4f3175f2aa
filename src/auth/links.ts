import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";
import { newToken, tokenHash } from "./tokens.js";

/** What a one-time link is for: creating the first admin, or setting a user's password (reset or invitation). */
export type LinkPurpose = "setup" | "reset";

const HOURS: Record<LinkPurpose, number> = { setup: 24, reset: 72 };

/** A one-time link's token (only its hash is stored); older unused links of the same user and purpose stop working. */
export async function createLink(
  q: Queryable,
  purpose: LinkPurpose,
  userId: string | null,
  now: Date,
): Promise<string> {
  const token = newToken();
  if (userId)
    await q.query("DELETE FROM one_time_links WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL", [
      userId,
      purpose,
    ]);
  await q.query(
    "INSERT INTO one_time_links (token_hash, purpose, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    [
      tokenHash(token),
      purpose,
      userId,
      now.toISOString(),
      new Date(now.getTime() + HOURS[purpose] * 3_600_000).toISOString(),
    ],
  );
  return token;
}

/** Whether a link is still good (for showing the page), without using it. */
export async function peekLink(
  q: Queryable,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<{ user_id: string | null } | undefined> {
  const [row] = await q.query<{ user_id: string | null }>(
    "SELECT user_id FROM one_time_links WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3",
    [tokenHash(token), purpose, now.toISOString()],
  );
  return row;
}

/** Uses a link up (once: a second use, or an expired link, is refused). */
export async function consumeLink(
  q: Queryable,
  token: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<{ user_id: string | null }> {
  const [row] = await q.query<{ user_id: string | null }>(
    `UPDATE one_time_links SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
     RETURNING user_id`,
    [tokenHash(token), purpose, now.toISOString()],
  );
  if (!row)
    throw new AppError(
      "validation_failed",
      "this link has been used or has expired: ask an admin for a new one",
      {
        details: [{ field: "token", message: "used or expired" }],
      },
    );
  return row;
}
