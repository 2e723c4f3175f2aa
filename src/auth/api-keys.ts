import { AppError } from "../errors.js";
import type { Queryable } from "../store/index.js";
import { audit } from "./audit.js";
import type { Actor, ApiKey, Principal } from "./principal.js";
import { isScope, type Scope } from "./roles.js";
import { newId, newToken, tokenHash } from "./tokens.js";

const KEY_COLUMNS = "id, name, prefix, scopes, created_by, created_at, expires_at, last_used_at, revoked_at";
const TOUCH_EVERY_MS = 60_000;

export interface NewKey {
  name: string;
  scopes: string[];
  expires_at?: string | null;
}

function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

/** Creates a key: the key itself is returned here once and only its hash is kept. */
export async function createKey(
  q: Queryable,
  input: NewKey,
  actor: Actor,
  now: Date,
): Promise<{ key: string; record: ApiKey }> {
  const name = input.name?.trim() ?? "";
  if (!name || name.length > 200) throw invalid("name", "is required (at most 200 characters)");
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || !scopes.every(isScope))
    throw invalid("scopes", "must be one or more of read, ingest, write, admin");
  let expires: string | null = null;
  if (input.expires_at) {
    const t = Date.parse(input.expires_at);
    if (Number.isNaN(t) || t <= now.getTime()) throw invalid("expires_at", "must be a time in the future");
    expires = new Date(t).toISOString();
  }
  const key = newToken("kw_");
  const id = newId("key");
  await q.query(
    "INSERT INTO api_keys (id, name, key_hash, prefix, scopes, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [
      id,
      name,
      tokenHash(key),
      key.slice(0, 10),
      scopes as Scope[],
      actor.type === "user" ? actor.id : null,
      expires,
    ],
  );
  const [record] = await q.query<ApiKey>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = $1`, [id]);
  await audit(q, actor, "key.created", { subjectType: "api_key", subjectId: id, after: record });
  return { key, record: record! };
}

export async function listKeys(q: Queryable): Promise<ApiKey[]> {
  return q.query<ApiKey>(`SELECT ${KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, id`);
}

export async function revokeKey(q: Queryable, id: string, actor: Actor): Promise<ApiKey> {
  const [before] = await q.query<ApiKey>(`SELECT ${KEY_COLUMNS} FROM api_keys WHERE id = $1`, [id]);
  if (!before) throw new AppError("not_found", "no such API key");
  const [after] = await q.query<ApiKey>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${KEY_COLUMNS}`,
    [id],
  );
  await audit(q, actor, "key.revoked", { subjectType: "api_key", subjectId: id, before, after });
  return after!;
}

/** The machine a bearer key stands for: a key not revoked and not expired; undefined otherwise. */
export async function keyPrincipal(q: Queryable, key: string, now: Date): Promise<Principal | undefined> {
  const [row] = await q.query<ApiKey>(
    `SELECT ${KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`,
    [tokenHash(key), now.toISOString()],
  );
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS)
    await q.query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", [row.id, now.toISOString()]);
  return { kind: "key", key: row };
}
