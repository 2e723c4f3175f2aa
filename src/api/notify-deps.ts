import type { SecretBox } from "../auth/index.js";
import type { Config } from "../config.js";
import type { JobQueue } from "../jobs/index.js";
import type { NotifyDeps } from "../notify/deps.js";
import type { Db } from "../store/index.js";

/** What the alert and webhook routes need. */
export type NotifyRouteDeps = {
  db: Db;
  clock: () => Date;
  jobs: JobQueue | undefined;
  secrets: SecretBox;
  /** The dashboard's address, for links in messages. */
  publicUrl: () => string;
  /** SMTP from the environment (KEEPWELL_SMTP_*), used when the settings page sets none. */
  smtp: Config["smtp"] | undefined;
};

/** The engine's view of the same. */
export function engineDeps(d: NotifyRouteDeps): NotifyDeps & { jobs?: JobQueue | undefined } {
  return {
    db: d.db,
    clock: d.clock,
    jobs: d.jobs,
    secrets: d.secrets,
    config: { smtp: d.smtp, publicUrl: d.publicUrl() },
  };
}
