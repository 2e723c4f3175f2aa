import type { FastifyInstance, InjectOptions } from "fastify";
import { buildServer, type ServerDeps } from "../../src/api/index.js";
import { createKey } from "../../src/auth/index.js";
import { ENTITIES, ENTITY_NAMES } from "../../src/ingest/index.js";
import type { Db } from "../../src/store/index.js";

/** An API key with the admin scope, made straight in the store (what `keepwell api-keys create` does). */
export async function adminKey(db: Db): Promise<string> {
  const actor = { type: "system" as const, id: null, label: "tests" };
  const { key } = await db.transaction((tx) =>
    createKey(tx, { name: "tests", scopes: ["admin"] }, actor, new Date()),
  );
  return key;
}

/** Makes every `app.inject` carry `key` (unless the call sends its own Authorization). */
export function authorize<T extends FastifyInstance>(app: T, key: string): T {
  const inject = app.inject.bind(app);
  (app as unknown as { inject: (o?: InjectOptions | string) => unknown }).inject = (
    o?: InjectOptions | string,
  ) => {
    if (o === undefined) return inject();
    const opts = typeof o === "string" ? { url: o } : o;
    return inject({ ...opts, headers: { authorization: `Bearer ${key}`, ...opts.headers } });
  };
  return app;
}

/** The server as a test drives it: every request signed with an admin key (the guard has its own tests). */
export async function testServer(db: Db, bodyLimit = 64 * 1024 * 1024): Promise<FastifyInstance> {
  return authedServer({ db, config: { bodyLimit, logLevel: "silent" } });
}

/** buildServer, with every injected request signed with an admin key. */
export async function authedServer(deps: ServerDeps): Promise<FastifyInstance> {
  return authorize(await buildServer(deps), await adminKey(deps.db));
}

/** Every fact table's rows, in a stable order: what "the store is unchanged" compares. */
export async function snapshot(db: Db): Promise<Record<string, unknown[]>> {
  const tables = ENTITY_NAMES.map((e) => ENTITIES[e].table);
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const rows = await db.query(`SELECT * FROM ${t}`);
    out[t] = rows
      .map(({ ingested_at, updated_at, ...r }) => r)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return out;
}
