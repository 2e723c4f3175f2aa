import { request } from "node:http";
import { createServer } from "node:net";
import type { Launch, Proc } from "./proc.js";
import { lastJson, runCli, startCli } from "./proc.js";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Server {
  proc: Proc;
  port: number;
  /** Seconds from spawn until it served. */
  startedIn: number;
}

/**
 * An admin API key for `keepwell serve`, made with the CLI (on PGlite while
 * no server holds the folder): every route but /healthz and sign-in needs one.
 */
export async function adminKey(launch: Launch): Promise<string> {
  const made = lastJson<{ key: string }>(
    (await runCli(launch, ["api-keys", "create", "--name", "crash", "--scopes", "admin", "--json"])).stdout,
  );
  return made.key;
}

/** `keepwell serve` on a free port, once it says it is serving. */
export async function startServer(launch: Launch, timeoutS = 180): Promise<Server> {
  const port = await freePort();
  const proc = startCli(launch, ["serve", "--port", String(port), "--host", "127.0.0.1"]);
  const deadline = performance.now() + timeoutS * 1000;
  while (!proc.lines.some((l) => l.text.includes("Keepwell is serving"))) {
    if (!proc.alive() || performance.now() > deadline) {
      proc.child.kill("SIGKILL");
      await proc.exited;
      throw new Error(`keepwell serve did not start: ${proc.stderr().trim() || proc.stdout().trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { proc, port, startedIn: (performance.now() - proc.started) / 1000 };
}

/** Stops a server as a person would (SIGTERM: it closes the store), by force after `graceS`. */
export async function stopServer(server: Server, graceS = 60): Promise<void> {
  if (!server.proc.alive()) return;
  server.proc.child.kill("SIGTERM");
  const timer = setTimeout(() => server.proc.child.kill("SIGKILL"), graceS * 1000);
  await server.proc.exited.finally(() => clearTimeout(timer));
}

/** When, during one POST, to do something (kill the server). */
export type PostHook =
  | { at: "upload"; share: number }
  | { at: "uploaded"; afterS: number }
  | { at: "response" };

export interface PostOutcome {
  status?: number;
  body?: string;
  /** Seconds from the end of the upload to the response (undefined without a response). */
  importS?: number;
  /** The whole body was handed to the connection. */
  uploaded: boolean;
  /** The hook ran (and when, in seconds since the request began). */
  hookAt?: number;
  error?: string;
}

/**
 * POSTs a JSON body in chunks, with an API key, (so a hook can run mid-upload) and waits for
 * the answer, the connection's end, or the hook's kill.
 */
export function post(
  port: number,
  path: string,
  body: Buffer,
  key: string,
  hook?: { when: PostHook; run: () => Promise<void> },
) {
  return new Promise<PostOutcome>((resolve) => {
    const t0 = performance.now();
    const since = () => (performance.now() - t0) / 1000;
    const out: PostOutcome = { uploaded: false };
    let uploadedAt: number | undefined;
    let hookDone: Promise<void> | undefined;
    let settled = false;
    const runHook = () => {
      if (!hook || hookDone) return hookDone;
      out.hookAt = since();
      hookDone = hook.run();
      return hookDone;
    };
    const finish = async () => {
      if (settled) return;
      settled = true;
      await hookDone;
      resolve(out);
    };
    const req = request({
      host: "127.0.0.1",
      port,
      path,
      method: "POST",
      agent: false,
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "content-length": body.length,
        connection: "close",
      },
    });
    req.on("response", (res) => {
      out.status = res.statusCode;
      out.importS = uploadedAt === undefined ? undefined : since() - uploadedAt;
      if (hook?.when.at === "response") void runHook();
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => {
        out.body = Buffer.concat(parts).toString();
        void finish();
      });
      res.on("error", () => void finish());
    });
    req.on("error", (err) => {
      out.error = err.message;
      void finish();
    });
    const chunk = 256 * 1024;
    const write = async () => {
      for (let off = 0; off < body.length; off += chunk) {
        if (hook?.when.at === "upload" && off >= hook.when.share * body.length) {
          // Let the server take in what was sent, then kill it mid-request.
          await new Promise((r) => setTimeout(r, 100));
          await runHook();
          req.destroy();
          return;
        }
        if (!req.write(body.subarray(off, off + chunk)))
          await new Promise<void>((r) => {
            const done = () => {
              req.off("drain", done);
              req.off("close", done);
              r();
            };
            req.on("drain", done);
            req.on("close", done);
          });
        if (req.destroyed) return;
      }
      req.end(() => {
        uploadedAt = since();
        out.uploaded = true;
        const when = hook?.when;
        if (when?.at === "uploaded")
          setTimeout(() => {
            if (!settled) void runHook();
          }, when.afterS * 1000);
      });
    };
    void write();
  });
}

/** The events the store holds for these accounts, as the API counts them. */
export async function eventsViaApi(port: number, key: string, accounts: string[]): Promise<number> {
  let n = 0;
  for (const id of accounts) {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/accounts/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!res.ok) throw new Error(`GET /api/v1/accounts/${id}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { counts: Record<string, number> };
    n += body.counts.events ?? 0;
  }
  return n;
}
