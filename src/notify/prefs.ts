import { z } from "zod";
import type { SecretBox } from "../auth/index.js";
import { formatClock, isTimeZone, parseClock } from "../domain/notify/index.js";
import { AppError } from "../errors.js";
import type { Db, Queryable } from "../store/index.js";

/**
 * A person's own notification preferences (notification_prefs, defaults
 * when they set none) and their time zone (users.time_zone). Their Slack
 * webhook URL is sealed and only ever said to be set.
 */

export type MyPrefs = {
  email: boolean;
  slack: boolean;
  slack_url_set: boolean;
  mode: "default" | "immediate" | "digest";
  digest_hour: number | null;
  quiet_hours: { start: string; end: string } | null;
  budget_per_day: number | null;
  time_zone: string;
};

/** A 400 naming `field`. */
export function invalid(field: string, message: string): AppError {
  return new AppError("validation_failed", `${field}: ${message}`, { details: [{ field, message }] });
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Why `url` cannot be a webhook to post to (https, or http on this machine only), or null when it can. */
export function webhookUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "must be a URL (https://…)";
  }
  if (u.username || u.password) return "must not hold a user name or password";
  if (u.protocol === "https:") return null;
  if (u.protocol === "http:" && LOCAL_HOSTS.has(u.hostname)) return null;
  return "must be an https:// URL";
}

/** A webhook URL to post to, checked by webhookUrlProblem. */
export const webhookUrl = z
  .string()
  .max(2000, "must be at most 2000 characters")
  .superRefine((s, ctx) => {
    const problem = webhookUrlProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const clock = z.string().refine((s) => parseClock(s) !== null, "must be a time as HH:MM (00:00 to 23:59)");
const whole = (min: number, max: number) =>
  z
    .number("must be a whole number")
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

/** PUT /api/v1/me/notifications: a field left out keeps its value; `slack_webhook_url` null clears it. */
export const prefsInput = z.object({
  email: z.boolean().optional(),
  slack: z.boolean().optional(),
  mode: z.enum(["default", "immediate", "digest"]).optional(),
  digest_hour: whole(0, 23).nullable().optional(),
  quiet_hours: z
    .object({ start: clock, end: clock })
    .refine((q) => parseClock(q.start) !== parseClock(q.end), {
      path: ["end"],
      message: "must differ from the start",
    })
    .nullable()
    .optional(),
  budget_per_day: whole(1, 1000).nullable().optional(),
  time_zone: z
    .string()
    .max(100)
    .refine(isTimeZone, "must be an IANA time zone, such as Europe/Berlin or America/New_York")
    .optional(),
  slack_webhook_url: webhookUrl.nullable().optional(),
});
export type PrefsInput = z.infer<typeof prefsInput>;

type Row = {
  email: boolean | null;
  slack: boolean | null;
  url_set: boolean;
  mode: MyPrefs["mode"] | null;
  digest_hour: number | null;
  quiet_start: number | null;
  quiet_end: number | null;
  budget_per_day: number | null;
  time_zone: string;
};

/** The user's preferences, defaults filled in (null when there is no such user). */
async function readPrefs(q: Queryable, user: string): Promise<MyPrefs | null> {
  const [r] = await q.query<Row>(
    `SELECT p.email, p.slack, p.slack_url_sealed IS NOT NULL AS url_set, p.mode, p.digest_hour,
            p.quiet_start, p.quiet_end, p.budget_per_day, u.time_zone
     FROM users u LEFT JOIN notification_prefs p ON p.user_id = u.id WHERE u.id = $1`,
    [user],
  );
  if (!r) return null;
  return {
    email: r.email ?? true,
    slack: r.slack ?? false,
    slack_url_set: r.url_set,
    mode: r.mode ?? "default",
    digest_hour: r.digest_hour,
    quiet_hours:
      r.quiet_start === null || r.quiet_end === null
        ? null
        : { start: formatClock(r.quiet_start), end: formatClock(r.quiet_end) },
    budget_per_day: r.budget_per_day,
    time_zone: r.time_zone,
  };
}

export async function getPrefs(q: Queryable, user: string): Promise<MyPrefs> {
  const p = await readPrefs(q, user);
  if (!p) throw new AppError("not_found", "no such user");
  return p;
}

/** Saves the user's preferences (and time zone) in one transaction; answers them as now stored. */
export async function putPrefs(
  db: Db,
  secrets: SecretBox,
  user: string,
  input: PrefsInput,
  now: Date,
): Promise<MyPrefs> {
  const sealed =
    typeof input.slack_webhook_url === "string" ? secrets.seal(input.slack_webhook_url) : undefined;
  return db.transaction(async (tx) => {
    const cur = await getPrefs(tx, user);
    const urlSet =
      input.slack_webhook_url === undefined ? cur.slack_url_set : input.slack_webhook_url !== null;
    const slack = input.slack ?? cur.slack;
    if (slack && !urlSet)
      throw invalid(
        "slack_webhook_url",
        "Slack is on: set your Slack incoming-webhook URL, or turn Slack off",
      );
    const quiet = input.quiet_hours === undefined ? cur.quiet_hours : input.quiet_hours;
    await tx.query(
      `INSERT INTO notification_prefs AS p (user_id, email, slack, slack_url_sealed, mode, digest_hour, quiet_start,
                                            quiet_end, budget_per_day, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (user_id) DO UPDATE SET
         email = excluded.email, slack = excluded.slack,
         slack_url_sealed = CASE WHEN $11::boolean THEN p.slack_url_sealed ELSE excluded.slack_url_sealed END,
         mode = excluded.mode, digest_hour = excluded.digest_hour, quiet_start = excluded.quiet_start,
         quiet_end = excluded.quiet_end, budget_per_day = excluded.budget_per_day, updated_at = excluded.updated_at`,
      [
        user,
        input.email ?? cur.email,
        slack,
        sealed ?? null,
        input.mode ?? cur.mode,
        input.digest_hour === undefined ? cur.digest_hour : input.digest_hour,
        quiet ? parseClock(quiet.start) : null,
        quiet ? parseClock(quiet.end) : null,
        input.budget_per_day === undefined ? cur.budget_per_day : input.budget_per_day,
        now.toISOString(),
        input.slack_webhook_url === undefined,
      ],
    );
    if (input.time_zone !== undefined && input.time_zone !== cur.time_zone)
      await tx.query("UPDATE users SET time_zone = $2, updated_at = $3 WHERE id = $1", [
        user,
        input.time_zone,
        now.toISOString(),
      ]);
    return getPrefs(tx, user);
  });
}
