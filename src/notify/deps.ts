import type { SecretBox } from "../auth/index.js";
import type { Config } from "../config.js";
import type { Db } from "../store/index.js";

/** What the notification engine needs: the store, the secret box, a clock and a little configuration. */
export type NotifyDeps = {
  db: Db;
  secrets: SecretBox;
  clock: () => Date;
  config: Partial<Pick<Config, "smtp" | "publicUrl">>;
};
