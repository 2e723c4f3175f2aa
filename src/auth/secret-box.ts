import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../errors.js";

/**
 * Secrets Keepwell must use again (an SMTP password, a webhook signing
 * secret, a Slack webhook URL) are sealed at rest with AES-256-GCM under one
 * key: KEEPWELL_SECRET_KEY, or — for the embedded store only — a key file
 * made once in the data folder (mode 600). A sealed value reads
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); a wrong key fails loudly, never
 * returns garbage. Passwords and API keys are hashed instead (never read back).
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = "v1";

function keyOf(material: string): Buffer {
  const raw = /^[A-Za-z0-9+/_-]{43}=?$/.test(material) ? Buffer.from(material, "base64url") : null;
  return raw && raw.length === 32 ? raw : createHash("sha256").update(material, "utf8").digest();
}

/** A box over a key (a 32-byte base64 key, or any passphrase of 16 characters or more). */
export function secretBox(material: string): SecretBox {
  if (material.length < 16) throw new Error("KEEPWELL_SECRET_KEY must be at least 16 characters");
  const key = keyOf(material);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", key, iv);
      const ct = Buffer.concat([c.update(plain, "utf8"), c.final()]);
      return [VERSION, iv, c.getAuthTag(), ct]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [v, iv, tag, ct] = sealed.split(".");
      if (v !== VERSION || !iv || !tag || ct === undefined)
        throw new AppError("conflict", "a stored secret is not in the sealed form; set the secret again");
      try {
        const d = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
        d.setAuthTag(Buffer.from(tag, "base64url"));
        return Buffer.concat([d.update(Buffer.from(ct, "base64url")), d.final()]).toString("utf8");
      } catch {
        throw new AppError(
          "conflict",
          "a stored secret cannot be opened with this KEEPWELL_SECRET_KEY (was the key changed?); set the secret again",
        );
      }
    },
  };
}

/** A box that refuses: PostgreSQL without KEEPWELL_SECRET_KEY. Nothing that needs no secret is affected. */
export function missingKeyBox(): SecretBox {
  const refuse = (): never => {
    throw new AppError(
      "bad_request",
      "storing or using a secret (SMTP password, webhook secret, Slack URL) needs KEEPWELL_SECRET_KEY: set it to a random string of 32 characters or more",
      { details: [{ field: "KEEPWELL_SECRET_KEY", message: "not set" }] },
    );
  };
  return { seal: refuse, open: refuse };
}

/**
 * The store's box: KEEPWELL_SECRET_KEY when set; else, on the embedded store,
 * the data folder's own key file (made on first use); else one that refuses
 * with a message naming the variable.
 */
export function secretBoxFor(opts: {
  secretKey?: string | undefined;
  dataDir?: string;
  embedded: boolean;
}): SecretBox {
  if (opts.secretKey) return secretBox(opts.secretKey);
  if (!opts.embedded || !opts.dataDir) return missingKeyBox();
  const file = join(opts.dataDir, "secret.key");
  let box: SecretBox | null = null;
  // The key file is read (or made) on first use, not when the store opens.
  const opened = (): SecretBox => {
    if (!box) box = secretBox(fileKey(file));
    return box;
  };
  return { seal: (p) => opened().seal(p), open: (s) => opened().open(s) };
}

function fileKey(file: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(join(file, ".."), { recursive: true });
  const key = randomBytes(32).toString("base64url");
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(file, 0o600);
  return key;
}
