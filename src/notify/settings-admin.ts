import { z } from "zod";
import { type Actor, audit, type SecretBox } from "../auth/index.js";
import { newId } from "../auth/tokens.js";
import type { Config } from "../config.js";
import { AppError } from "../errors.js";
import type { Db, Queryable } from "../store/index.js";
import type { SmtpSettings } from "./channels/types.js";
import { webhookUrl } from "./prefs.js";
import { NOTIFY_DEFAULTS, readStoredSettings, type StoredSettings } from "./settings.js";

/**
 * The team's notification settings as admins see and change them: SMTP (its
 * password sealed, only said to be set), the Slack channels (their webhook
 * URLs sealed; a channel left out is disabled, never deleted), budgets and
 * the digest hour. One transaction per change, audited without secrets.
 */

export type SettingsView = {
  smtp: {
    host: string;
    port: number;
    security: SmtpSettings["security"];
    user: string | null;
    from: string;
    password_set: boolean;
  } | null;
  smtp_source: "settings" | "environment" | null;
  slack_channels: { id: string; name: string; url_set: boolean; disabled: boolean }[];
  budget_per_day: number;
  digest_hour: number;
  score_drop_points: number;
  public_url_hint: string | null;
};

const DIGITS = /^\s*\d+\s*$/;
const whole = (min: number, max: number) =>
  z
    .union([z.number(), z.string().regex(DIGITS, "must be a whole number").transform(Number)], {
      error: "must be a whole number",
    })
    .pipe(
      z
        .number()
        .int("must be a whole number")
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

/** "alerts@example.com" or "Keepwell <alerts@example.com>". */
const FROM = /^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/;

export const smtpInput = z.object({
  host: z
    .string()
    .trim()
    .min(1, "say which SMTP server")
    .max(253)
    .regex(/^[A-Za-z0-9.\-:[\]]+$/, "must be a host name or an IP address"),
  port: whole(1, 65_535),
  security: z.enum(["tls", "starttls", "none"]),
  user: z
    .string()
    .trim()
    .max(320)
    .nullish()
    .transform((u) => u || null),
  from: z.string().trim().max(320).regex(FROM, "must be an email address, or a name and <address>"),
  /** Absent keeps the stored one; null clears it. */
  password: z
    .string()
    .max(1000)
    .nullish()
    .transform((p) => (p === "" ? null : p)),
});
export type SmtpInput = z.infer<typeof smtpInput>;

/** PUT /api/v1/notifications/settings: a part left out keeps its value. */
export const settingsInput = z.object({
  smtp: smtpInput.nullable().optional(),
  slack_channels: z
    .array(
      z.object({
        id: z.string().min(1).max(200).optional(),
        name: z.string().trim().min(1, "give the channel a name").max(80),
        webhook_url: webhookUrl.optional(),
      }),
    )
    .max(100)
    .optional(),
  budget_per_day: whole(1, 1000).optional(),
  digest_hour: whole(0, 23).optional(),
  score_drop_points: whole(1, 100).optional(),
});
export type SettingsInput = z.infer<typeof settingsInput>;

/** The settings as the API shows them (no secret; SMTP from the environment when the settings set none). */
export async function settingsView(
  q: Queryable,
  opts: { envSmtp: Config["smtp"] | undefined; publicUrl: string | null },
): Promise<SettingsView> {
  const { settings: s, password_set } = await readStoredSettings(q);
  const channels = await q.query<SettingsView["slack_channels"][number]>(
    `SELECT id, name, url_sealed <> '' AS url_set, disabled_at IS NOT NULL AS disabled
     FROM slack_channels ORDER BY disabled_at IS NOT NULL, name, id`,
  );
  const env = opts.envSmtp;
  const smtp: SettingsView["smtp"] = s.smtp?.host
    ? { ...s.smtp, user: s.smtp.user ?? null, password_set }
    : env?.host
      ? {
          host: env.host,
          port: env.port,
          security: env.security,
          user: env.user ?? null,
          from: env.from,
          password_set: !!env.password,
        }
      : null;
  return {
    smtp,
    smtp_source: s.smtp?.host ? "settings" : env?.host ? "environment" : null,
    slack_channels: channels,
    budget_per_day: s.budget_per_day ?? NOTIFY_DEFAULTS.budget_per_day,
    digest_hour: s.digest_hour ?? NOTIFY_DEFAULTS.digest_hour,
    score_drop_points: s.score_drop_points ?? NOTIFY_DEFAULTS.score_drop_points,
    public_url_hint: opts.publicUrl,
  };
}

type Detail = { field: string; message: string };
type ChannelRow = { id: string; name: string; url: string | null };

/** The channel list as rows to update and rows to make, or the problems with it. */
function planChannels(
  list: NonNullable<SettingsInput["slack_channels"]>,
  existing: readonly { id: string; name: string }[],
  secrets: SecretBox,
): { update: ChannelRow[]; insert: ChannelRow[]; details: Detail[] } {
  const details: Detail[] = [];
  const byId = new Map(existing.map((c) => [c.id, c]));
  const byName = new Map(existing.map((c) => [c.name, c]));
  const listed = new Set(list.flatMap((c) => (c.id ? [c.id] : [])));
  const names = new Map<string, number>();
  const ids = new Set<string>();
  const update: ChannelRow[] = [];
  const insert: ChannelRow[] = [];
  list.forEach((c, i) => {
    const at = `slack_channels[${i}]`;
    const seen = names.get(c.name);
    if (seen !== undefined)
      details.push({ field: `${at}.name`, message: `slack_channels[${seen}] has this name too` });
    names.set(c.name, i);
    if (c.id !== undefined) {
      if (ids.has(c.id)) details.push({ field: `${at}.id`, message: "listed twice" });
      ids.add(c.id);
      if (!byId.has(c.id)) details.push({ field: `${at}.id`, message: "no such Slack channel" });
    }
    // A new channel named like one being left out takes that one's place (names are unique).
    const same = c.id === undefined ? byName.get(c.name) : undefined;
    const id = c.id ?? (same && !listed.has(same.id) ? same.id : undefined);
    if (id === undefined && c.webhook_url === undefined)
      details.push({
        field: `${at}.webhook_url`,
        message: "a new channel needs its Slack incoming-webhook URL",
      });
    if (details.length > 0) return;
    const url = c.webhook_url === undefined ? null : secrets.seal(c.webhook_url);
    if (id === undefined) insert.push({ id: newId("slk"), name: c.name, url });
    else update.push({ id, name: c.name, url });
  });
  return { update, insert, details };
}

async function saveChannels(
  tx: Queryable,
  plan: { update: ChannelRow[]; insert: ChannelRow[] },
  now: string,
) {
  const kept = plan.update.map((c) => c.id);
  await tx.query(
    "UPDATE slack_channels SET disabled_at = $2 WHERE disabled_at IS NULL AND NOT (id = ANY($1))",
    [kept, now],
  );
  const rows = JSON.stringify(plan.update);
  // Renamed ones step aside first, so two channels may swap names.
  await tx.query(
    `UPDATE slack_channels c SET name = ' renaming ' || c.id
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, url text) WHERE c.id = r.id AND c.name <> r.name`,
    [rows],
  );
  await tx.query(
    `UPDATE slack_channels c SET name = r.name, url_sealed = coalesce(r.url, c.url_sealed), disabled_at = NULL
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, url text) WHERE c.id = r.id`,
    [rows],
  );
  await tx.query(
    `INSERT INTO slack_channels (id, name, url_sealed, created_at)
     SELECT id, name, url, $2 FROM jsonb_to_recordset($1::jsonb) AS r(id text, name text, url text)`,
    [JSON.stringify(plan.insert), now],
  );
}

/**
 * Changes the settings (the parts given) in one transaction: the SMTP
 * password and channel URLs sealed, the change audited with what is set,
 * never the secrets themselves.
 */
export async function applySettings(
  db: Db,
  secrets: SecretBox,
  input: SettingsInput,
  opts: { actor: Actor; now: Date; envSmtp: Config["smtp"] | undefined; publicUrl: string | null },
): Promise<SettingsView> {
  const pw = input.smtp === undefined ? undefined : input.smtp === null ? null : input.smtp.password;
  const sealedPw = typeof pw === "string" ? secrets.seal(pw) : pw;
  const now = opts.now.toISOString();
  return db.transaction(async (tx) => {
    await tx.query("INSERT INTO notification_settings (singleton) VALUES (true) ON CONFLICT DO NOTHING");
    await tx.query("SELECT 1 FROM notification_settings FOR UPDATE");
    const before = await settingsView(tx, opts);
    const { settings: cur } = await readStoredSettings(tx);
    const changedSecrets: string[] = [];
    if (pw !== undefined) changedSecrets.push(pw === null ? "smtp.password cleared" : "smtp.password set");
    if (input.slack_channels) {
      const existing = await tx.query<{ id: string; name: string }>("SELECT id, name FROM slack_channels");
      const plan = planChannels(input.slack_channels, existing, secrets);
      if (plan.details.length > 0)
        throw new AppError("validation_failed", `invalid ${plan.details.map((d) => d.field).join(", ")}`, {
          details: plan.details,
        });
      await saveChannels(tx, plan, now);
      input.slack_channels.forEach((c, i) => {
        if (c.webhook_url !== undefined) changedSecrets.push(`slack_channels[${i}].webhook_url set`);
      });
    }
    const smtp: StoredSettings["smtp"] =
      input.smtp === undefined
        ? (cur.smtp ?? null)
        : input.smtp === null
          ? null
          : {
              host: input.smtp.host,
              port: input.smtp.port,
              security: input.smtp.security,
              user: input.smtp.user,
              from: input.smtp.from,
            };
    const next: StoredSettings = {
      smtp,
      budget_per_day: input.budget_per_day ?? cur.budget_per_day ?? NOTIFY_DEFAULTS.budget_per_day,
      digest_hour: input.digest_hour ?? cur.digest_hour ?? NOTIFY_DEFAULTS.digest_hour,
      score_drop_points:
        input.score_drop_points ?? cur.score_drop_points ?? NOTIFY_DEFAULTS.score_drop_points,
    };
    await tx.query(
      `UPDATE notification_settings SET settings = $1::jsonb, updated_at = $2, updated_by = $3,
              smtp_password = CASE WHEN $4::boolean THEN smtp_password ELSE $5 END`,
      [JSON.stringify(next), now, opts.actor.label, sealedPw === undefined, sealedPw ?? null],
    );
    const after = await settingsView(tx, opts);
    await audit(tx, opts.actor, "notify.settings_changed", {
      subjectType: "notification_settings",
      before,
      after: { ...after, secrets_changed: changedSecrets },
    });
    return after;
  });
}
