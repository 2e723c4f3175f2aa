import type { SecretBox } from "../auth/index.js";
import type { Config } from "../config.js";
import type { Queryable } from "../store/index.js";
import type { SmtpSettings } from "./channels/types.js";

/** The team's notification settings as the engine uses them, the SMTP password opened. */
export type NotifySettings = {
  smtp: SmtpSettings | null;
  /** Where the SMTP server came from: the settings page, the environment, or nowhere. */
  smtp_source: "settings" | "environment" | null;
  budget_per_day: number;
  digest_hour: number;
  score_drop_points: number;
};

export const NOTIFY_DEFAULTS = { budget_per_day: 20, digest_hour: 8, score_drop_points: 10 } as const;

/** What is stored in notification_settings.settings (the password is in its own sealed column). */
export type StoredSettings = {
  smtp?: {
    host: string;
    port: number;
    security: SmtpSettings["security"];
    user?: string | null;
    from: string;
  } | null;
  budget_per_day?: number;
  digest_hour?: number;
  score_drop_points?: number;
};

export async function readStoredSettings(q: Queryable): Promise<{
  settings: StoredSettings;
  password_set: boolean;
  updated_at: string | null;
  updated_by: string | null;
}> {
  const [row] = await q.query<{
    settings: StoredSettings;
    password_set: boolean;
    updated_at: string;
    updated_by: string | null;
  }>(
    "SELECT settings, smtp_password IS NOT NULL AS password_set, updated_at, updated_by FROM notification_settings",
  );
  return row
    ? {
        settings: row.settings ?? {},
        password_set: row.password_set,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      }
    : { settings: {}, password_set: false, updated_at: null, updated_by: null };
}

/**
 * The settings in force: the stored ones, SMTP from the settings page when
 * set there, else from KEEPWELL_SMTP_*; the sealed password opened only here,
 * for sending.
 */
export async function loadNotifySettings(
  q: Queryable,
  secrets: SecretBox,
  envSmtp: Config["smtp"] | undefined,
): Promise<NotifySettings> {
  const [row] = await q.query<{ settings: StoredSettings; smtp_password: string | null }>(
    "SELECT settings, smtp_password FROM notification_settings",
  );
  const s = row?.settings ?? {};
  let smtp: SmtpSettings | null = null;
  let source: NotifySettings["smtp_source"] = null;
  if (s.smtp?.host) {
    smtp = {
      host: s.smtp.host,
      port: s.smtp.port,
      security: s.smtp.security,
      user: s.smtp.user ?? null,
      password: row?.smtp_password ? secrets.open(row.smtp_password) : null,
      from: s.smtp.from,
    };
    source = "settings";
  } else if (envSmtp?.host) {
    smtp = {
      host: envSmtp.host,
      port: envSmtp.port,
      security: envSmtp.security,
      user: envSmtp.user ?? null,
      password: envSmtp.password ?? null,
      from: envSmtp.from,
    };
    source = "environment";
  }
  return {
    smtp,
    smtp_source: source,
    budget_per_day: s.budget_per_day ?? NOTIFY_DEFAULTS.budget_per_day,
    digest_hour: s.digest_hour ?? NOTIFY_DEFAULTS.digest_hour,
    score_drop_points: s.score_drop_points ?? NOTIFY_DEFAULTS.score_drop_points,
  };
}
