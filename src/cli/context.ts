import type { Command } from "commander";
import { type Config, loadConfig } from "../config.js";
import { type Db, openStore } from "../store/index.js";

export interface Context {
  config: Config;
  db: Db;
}

export function configOf(
  program: Command,
  extra: { port?: string; host?: string; scorecard?: string } = {},
): Config {
  const g = program.opts<{ dataDir?: string }>();
  return loadConfig({ dataDir: g.dataDir, ...extra });
}

/** Opens the configured store (migrated unless told otherwise), runs `fn`, and closes it. */
export async function withStore<T>(
  program: Command,
  opts: { migrate?: boolean; config?: Config },
  fn: (ctx: Context) => Promise<T>,
): Promise<T> {
  const config = opts.config ?? configOf(program);
  const db = await openStore(config, { migrate: opts.migrate });
  try {
    return await fn({ config, db });
  } finally {
    await db.close();
  }
}
