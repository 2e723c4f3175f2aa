import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";
import { inspectPglite } from "./pglite-inspect.js";
import type { Launch } from "./proc.js";
import { runCli, sleep } from "./proc.js";

export type StoreKind = "pglite" | "postgres";

/** One statement with parameters, returning its rows. */
export type Query = <R extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/**
 * A store the crash scenarios run `keepwell` against: a PGlite data folder,
 * or a fresh schema on a PostgreSQL server (KEEPWELL_DATABASE_SCHEMA). Its
 * contents are read through a fresh connection of the test's own, never
 * through the code under test.
 */
export interface CrashStore extends Launch {
  kind: StoreKind;
  /** PGlite's data folder (on PostgreSQL only the scorecard file's location). */
  dataDir: string;
  /** PostgreSQL: the schema; PGlite: undefined. */
  schema?: string;
  /** Waits until nothing a killed process started is still running in the store (PostgreSQL backends). */
  settle(): Promise<void>;
  /** Opens a fresh connection, runs `fn`, closes it. */
  inspect<T>(fn: (q: Query) => Promise<T>): Promise<T>;
  /** PGlite: the pid the lock file names (a killed holder leaves it behind). */
  lockOwner(): number | undefined;
  dispose(): Promise<void>;
}

/** The PostgreSQL server the crash runs use: TEST_DATABASE_URL, DATABASE_URL, or the local one. */
export function postgresUrl(): string {
  return (
    process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test"
  );
}

/** The environment without anything that would point `keepwell` at another store. */
function cleanEnv(): NodeJS.ProcessEnv {
  const {
    DATABASE_URL: _u,
    KEEPWELL_DATABASE_SCHEMA: _s,
    KEEPWELL_DATA_DIR: _d,
    KEEPWELL_SCORECARD: _c,
    PORT: _p,
    HOST: _h,
    ...env
  } = process.env;
  return { ...env, LOG_LEVEL: "warn" };
}

/** An empty store's folders (PGlite: no data folder yet). */
function emptyStore(kind: StoreKind, label: string): CrashStore {
  const root = mkdtempSync(join(tmpdir(), `keepwell-crash-${label}-`));
  const dataDir = join(root, "data");
  const cwd = join(root, "cwd");
  mkdirSync(cwd);
  if (kind === "pglite") return pgliteStore(root, dataDir, cwd);
  return postgresStore(root, dataDir, cwd);
}

let migrated: Promise<string> | undefined;
let dump: string | undefined;

/** A migrated PGlite saved with dumpPglite (the test suite's global setup makes one): new folders load it. */
export function startFromDump(file: string | undefined): void {
  dump = file;
}

/**
 * A migrated PGlite data folder, made once per process: from the dump when
 * there is one, else by `keepwell migrate`. Each new PGlite store starts as
 * a copy of it (initdb and the migrations cost a dozen seconds of CPU a time,
 * on a machine the crash runs keep busy).
 */
function migratedFolder(): Promise<string> {
  migrated ??= (async () => {
    const s = emptyStore("pglite", "migrated");
    process.once("exit", () => rmSync(dirname(s.dataDir), { recursive: true, force: true }));
    if (dump) await inspectPglite(s.dataDir, async () => undefined, dump);
    else await runCli(s, ["migrate"]);
    return s.dataDir;
  })();
  return migrated;
}

/** A fresh store: a migrated PGlite folder of its own, or a fresh schema on PostgreSQL (migrated by its first command). */
export async function newStore(kind: StoreKind, label: string): Promise<CrashStore> {
  const s = emptyStore(kind, label);
  if (kind === "pglite") cpSync(await migratedFolder(), s.dataDir, { recursive: true, filter: notLock });
  return s;
}

const notLock = (src: string) => !src.endsWith("keepwell.lock");

function pgliteStore(root: string, dataDir: string, cwd: string): CrashStore {
  return {
    kind: "pglite",
    dataDir,
    args: ["--data-dir", dataDir],
    env: cleanEnv(),
    cwd,
    settle: async () => undefined,
    inspect: (fn) => inspectPglite(dataDir, fn),
    lockOwner() {
      const file = join(dataDir, "keepwell.lock");
      if (!existsSync(file)) return undefined;
      const pid = Number(/^\s*(\d+)/.exec(readFileSync(file, "utf8"))?.[1]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
    async dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, schema: string | undefined, fn: (c: pg.Client) => Promise<T>) {
  const client = new pg.Client({
    connectionString: url,
    options: schema ? `-c search_path=${schema} -c TimeZone=UTC` : "-c TimeZone=UTC",
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function postgresStore(root: string, dataDir: string, cwd: string): CrashStore {
  const url = postgresUrl();
  const schema = `crash_${randomBytes(5).toString("hex")}`;
  const settle = async () => {
    // A killed client's backend may still be finishing a statement (and,
    // when COMMIT was already sent, committing it): wait until no other
    // backend holds a lock on this schema's tables.
    const deadline = Date.now() + 60_000;
    await withClient(url, undefined, async (c) => {
      for (;;) {
        const { rows } = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l
             JOIN pg_class r ON r.oid = l.relation JOIN pg_namespace s ON s.oid = r.relnamespace
            WHERE s.nspname IN ($1, $2) AND l.pid <> pg_backend_pid()`,
          [schema, `${schema}_jobs`],
        );
        if (rows[0]?.n === 0) return;
        if (Date.now() > deadline) throw new Error(`${schema}: a killed client's backend never went away`);
        await sleep(50);
      }
    });
  };
  return {
    kind: "postgres",
    dataDir,
    schema,
    args: [],
    env: { ...cleanEnv(), DATABASE_URL: url, KEEPWELL_DATABASE_SCHEMA: schema, KEEPWELL_DATA_DIR: dataDir },
    cwd,
    settle,
    async inspect(fn) {
      await settle();
      return withClient(url, schema, (c) =>
        fn(async (sql, params) => (await c.query(sql, params)).rows as never),
      );
    },
    lockOwner: () => undefined,
    async dispose() {
      await withClient(url, undefined, async (c) => {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await c.query(`DROP SCHEMA IF EXISTS "${schema}_jobs" CASCADE`);
      }).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A PGlite store's copy (its folder copied while nothing holds it); undefined on PostgreSQL. */
export function copyOf(store: CrashStore, label: string): CrashStore | undefined {
  if (store.kind !== "pglite") return undefined;
  const copy = emptyStore("pglite", label);
  cpSync(store.dataDir, copy.dataDir, { recursive: true, filter: notLock });
  return copy;
}
