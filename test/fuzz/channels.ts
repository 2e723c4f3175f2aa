/**
 * The three ways bad input reaches the product, each as a function from an
 * input's bytes to its answer: an HTTP request (app.inject), importFile (the
 * code `keepwell import` runs), and the real CLI binary in its own process.
 */
import { spawn } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { AppError } from "../../src/errors.js";
import { ENTITIES, type EntityName, importFile } from "../../src/ingest/index.js";
import type { Db } from "../../src/store/index.js";
import type { Deliver } from "./run-packs.js";
import { CONTENT_TYPE, EXTENSION, type Format } from "./serialize.js";
import type { Outcome } from "./verdict.js";

export type Sender = (entity: EntityName, format: Format, bytes: Buffer) => Promise<Outcome>;

export const packDeliver =
  (send: Sender): Deliver =>
  (pack, text) =>
    send(pack.entity, pack.format, Buffer.from(text.text, "utf8"));

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** POST /api/v1/<entity> with the format's Content-Type. */
export function httpSender(app: FastifyInstance): Sender {
  return async (entity, format, bytes) => {
    const res = await app.inject({
      method: "POST",
      url: `/api/v1/${entity}`,
      payload: bytes,
      headers: { "content-type": CONTENT_TYPE[format] },
    });
    const body = parsed(res.body);
    return { status: res.statusCode, body, text: body === undefined ? res.body.slice(0, 2000) : undefined };
  };
}

let files = 0;

/** Writes the bytes to a file named for the format and imports it with importFile. */
export function fileSender(db: Db, dir: string): Sender {
  return async (entity, format, bytes) => {
    const path = join(dir, `input-${process.pid}-${++files}.${EXTENSION[format]}`);
    writeFileSync(path, bytes);
    try {
      const r = await importFile(db, ENTITIES[entity], path);
      return { status: 200, body: r };
    } catch (err) {
      if (err instanceof AppError) return { status: err.status, body: err.toBody() };
      return { status: "crash", body: undefined, text: String((err as Error).stack ?? err).slice(0, 1500) };
    } finally {
      rmSync(path, { force: true });
    }
  };
}

const CLI = fileURLToPath(new URL("../../bin/keepwell.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Where the CLI keeps its store: a PGlite folder, or a schema on a PostgreSQL server. */
export type CliStore = { dataDir: string } | { url: string; schema: string };

export function cliArgs(store: CliStore): { args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  delete env.KEEPWELL_DATABASE_SCHEMA;
  if ("dataDir" in store) return { args: ["--data-dir", store.dataDir], env };
  return { args: [], env: { ...env, DATABASE_URL: store.url, KEEPWELL_DATABASE_SCHEMA: store.schema } };
}

/** `node bin/keepwell.js [--data-dir DIR] import ENTITY FILE --json`: exit 0 → 200, exit 1 → 400. */
export function cliSender(store: CliStore, dir: string, timeoutMs = 180_000): Sender {
  return async (entity, format, bytes) => {
    const path = join(dir, `cli-${process.pid}-${++files}.${EXTENSION[format]}`);
    writeFileSync(path, bytes);
    const { args, env } = cliArgs(store);
    try {
      const r = await new Promise<{
        code: number | null;
        signal: string | null;
        stdout: string;
        stderr: string;
      }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args, "import", entity, path, "--json"], {
          cwd: ROOT,
          env,
          stdio: ["ignore", "pipe", "pipe"],
          timeout: timeoutMs,
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
        });
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
        });
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
      const body = parsed(r.stdout);
      const text = `exit ${r.code ?? r.signal}; stdout: ${r.stdout.slice(0, 1000)}; stderr: ${r.stderr.slice(0, 1000)}`;
      if (r.code === 0) return { status: 200, body, text: body === undefined ? text : undefined };
      // An error the CLI did not expect still exits 1, as {"error": {"code": "internal"}}: a 500 by another name.
      const internal = (body as { error?: { code?: string } } | undefined)?.error?.code === "internal";
      if (r.code === 1)
        return { status: internal ? 500 : 400, body, text: body === undefined ? text : undefined };
      return { status: "crash", body: undefined, text };
    } finally {
      rmSync(path, { force: true });
    }
  };
}
