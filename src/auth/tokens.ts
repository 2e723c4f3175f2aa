import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A long random token for a cookie, link or key (256 bits, URL-safe). */
export function newToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** A short random id with a readable prefix (usr_…, key_…). */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString("base64url")}`;
}

/** How a token is stored: its SHA-256 (a long random token needs no slow hash). */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Whether `token` hashes to `hash`, compared in constant time. */
export function matchesHash(token: string, hash: string): boolean {
  const a = Buffer.from(tokenHash(token), "hex");
  const b = Buffer.from(hash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
