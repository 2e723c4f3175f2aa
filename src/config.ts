import { basename, dirname, join, resolve } from "node:path";
import { z } from "zod";

/** Everything Keepwell reads from the environment and its flags, validated once at start. */
export const configSchema = z.object({
  /** PostgreSQL connection string; PGlite in `dataDir` when absent. */
  databaseUrl: z.string().url().optional(),
  /** The PostgreSQL schema Keepwell keeps its tables in (created when missing); the connection's default when absent. */
  databaseSchema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL name (letters, digits, _)")
    .optional(),
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65_535),
  host: z.string().min(1),
  /** Largest accepted request body, in bytes. */
  bodyLimit: z.coerce.number().int().positive(),
  /** How long a client may take to send a whole request (a slow body is cut off with 408). */
  requestTimeoutMs: z.coerce.number().int().positive(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  /** The address people reach the server at (links, allowed Host names, Secure cookies); required off loopback. */
  publicUrl: z.string().url().optional(),
  /** Trust X-Forwarded-* from a proxy in front (true, a hop count, or addresses). */
  trustProxy: z.union([z.boolean(), z.number().int().min(1), z.string()]),
  /** Single sign-on (OpenID Connect): all three, or none. */
  oidc: z
    .object({
      issuer: z.string().url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      /** The role of a user created at their first single sign-on (none: only existing users may sign in). */
      defaultRole: z.enum(["admin", "executive", "leader", "csm", "viewer"]).optional(),
    })
    .optional(),
  /** The scorecard YAML file: synced into the store at start, rewritten when the API changes it. */
  scorecardFile: z.string().min(1),
  /** The playbooks YAML file, beside the scorecard: synced the same way. */
  playbooksFile: z.string().min(1),
  /** Seals stored secrets (SMTP password, webhook secrets, Slack URLs); the embedded store makes its own key file when absent. */
  secretKey: z.string().min(16, "must be at least 16 characters").optional(),
  /** SMTP from the environment, used when the notification settings set none. */
  smtp: z
    .object({
      host: z.string().min(1),
      port: z.coerce.number().int().min(1).max(65_535),
      security: z.enum(["tls", "starttls", "none"]),
      user: z.string().optional(),
      password: z.string().optional(),
      from: z.string().min(3),
    })
    .optional(),
});
export type Config = z.infer<typeof configSchema>;

export interface ConfigFlags {
  dataDir?: string;
  port?: string | number;
  host?: string;
  scorecard?: string;
  playbooks?: string;
}

/**
 * The scorecard file of a store, beside its data folder and named after it,
 * so two stores side by side never share one: `.keepwell/` keeps
 * `keepwell.scorecard.yaml`, `store-b/` keeps `store-b.scorecard.yaml`; a
 * PostgreSQL store in a named schema is named after the schema.
 */
export function defaultScorecardFile(dataDir: string, env: NodeJS.ProcessEnv = {}): string {
  return storeFile(dataDir, env, "scorecard");
}

/** The playbooks file of a store, named like its scorecard file: `keepwell.playbooks.yaml`. */
export function defaultPlaybooksFile(dataDir: string, env: NodeJS.ProcessEnv = {}): string {
  return storeFile(dataDir, env, "playbooks");
}

function storeFile(dataDir: string, env: NodeJS.ProcessEnv, kind: string): string {
  const schema = env.DATABASE_URL ? env.KEEPWELL_DATABASE_SCHEMA : undefined;
  const name = schema || basename(dataDir).replace(/^\.+/, "") || "keepwell";
  return join(dirname(dataDir), `${name}.${kind}.yaml`);
}

function trustProxyOf(v: string | undefined): boolean | number | string {
  if (v === undefined || v === "" || v === "false") return false;
  if (v === "true") return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}

export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(flags.dataDir ?? env.KEEPWELL_DATA_DIR ?? ".keepwell");
  const parsed = configSchema.safeParse({
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.KEEPWELL_DATABASE_SCHEMA || undefined,
    dataDir,
    scorecardFile: resolve(flags.scorecard ?? env.KEEPWELL_SCORECARD ?? defaultScorecardFile(dataDir, env)),
    playbooksFile: resolve(flags.playbooks ?? env.KEEPWELL_PLAYBOOKS ?? defaultPlaybooksFile(dataDir, env)),
    port: flags.port ?? env.PORT ?? 3000,
    host: flags.host ?? env.HOST ?? "127.0.0.1",
    bodyLimit: env.KEEPWELL_BODY_LIMIT_MB
      ? Number(env.KEEPWELL_BODY_LIMIT_MB) * 1024 * 1024
      : 64 * 1024 * 1024,
    logLevel: env.LOG_LEVEL ?? "info",
    requestTimeoutMs: Number(env.KEEPWELL_REQUEST_TIMEOUT_S ?? 120) * 1000,
    publicUrl: env.KEEPWELL_PUBLIC_URL?.replace(/\/+$/, "") || undefined,
    trustProxy: trustProxyOf(env.KEEPWELL_TRUST_PROXY),
    secretKey: env.KEEPWELL_SECRET_KEY || undefined,
    smtp: env.KEEPWELL_SMTP_HOST
      ? {
          host: env.KEEPWELL_SMTP_HOST,
          port: env.KEEPWELL_SMTP_PORT ?? (env.KEEPWELL_SMTP_SECURITY === "tls" ? 465 : 587),
          security: env.KEEPWELL_SMTP_SECURITY ?? "starttls",
          user: env.KEEPWELL_SMTP_USER || undefined,
          password: env.KEEPWELL_SMTP_PASSWORD || undefined,
          from: env.KEEPWELL_SMTP_FROM ?? `keepwell@${env.KEEPWELL_SMTP_HOST}`,
        }
      : undefined,
    oidc:
      env.KEEPWELL_OIDC_ISSUER || env.KEEPWELL_OIDC_CLIENT_ID || env.KEEPWELL_OIDC_CLIENT_SECRET
        ? {
            issuer: env.KEEPWELL_OIDC_ISSUER,
            clientId: env.KEEPWELL_OIDC_CLIENT_ID,
            clientSecret: env.KEEPWELL_OIDC_CLIENT_SECRET,
            defaultRole: env.KEEPWELL_OIDC_DEFAULT_ROLE || undefined,
          }
        : undefined,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
