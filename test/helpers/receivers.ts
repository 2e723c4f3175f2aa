import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { SMTPServer } from "smtp-server";

/**
 * Real receivers for the notification tests and benchmarks: an SMTP server
 * (smtp-server) and an HTTP server (node:http), both on 127.0.0.1 at a random
 * port, recording what arrives and answering from a script.
 */

// ---------------------------------------------------------------- SMTP

export type ReceivedMail = {
  /** The envelope's MAIL FROM. */
  from: string;
  /** The envelope's RCPT TO addresses. */
  to: string[];
  /** The user who authenticated, or null. */
  user: string | null;
  /** The message as sent (RFC 822, CRLF line ends). */
  raw: string;
  /** Header names lower-cased, values unfolded and decoded (RFC 2047). */
  headers: Record<string, string>;
  subject: string;
  /** The Message-ID header, with its angle brackets. */
  messageId: string;
  /** The text/plain and text/html parts, decoded; null when absent. */
  text: string | null;
  html: string | null;
};

export type SmtpReceiverOptions = {
  /** When set, AUTH is required and only these credentials pass (535 otherwise). */
  auth?: { user: string; password: string };
};

export type SmtpReceiver = {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** Rejects the next `n` messages at the end of DATA with this reply. */
  refuseNext(n: number, code?: number, message?: string): void;
  /** Resolves once `n` messages have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

function decodeWords(s: string): string {
  return s.replace(
    /=\?([^?]+)\?([bqBQ])\?([^?]*)\?=(\s+(?==\?))?/g,
    (_m, _cs: string, enc: string, data: string) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : Buffer.from(
            data
              .replace(/_/g, " ")
              .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            "latin1",
          ).toString("utf8"),
  );
}

function splitHeaders(part: string): { headers: Record<string, string>; body: string } {
  const at = part.indexOf("\r\n\r\n");
  const head = at < 0 ? part : part.slice(0, at);
  const body = at < 0 ? "" : part.slice(at + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  const enc = (encoding ?? "7bit").toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") {
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

/** Finds the text/plain and text/html parts, walking nested multiparts. */
function findParts(
  headers: Record<string, string>,
  body: string,
  out: { text: string | null; html: string | null },
) {
  const type = headers["content-type"] ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (/^multipart\//i.test(type) && boundary) {
    const pieces = body.split(`--${boundary}`).slice(1);
    for (const piece of pieces) {
      if (piece.startsWith("--")) break;
      const p = splitHeaders(piece.replace(/^\r\n/, ""));
      findParts(p.headers, p.body.replace(/\r\n$/, ""), out);
    }
    return;
  }
  const decoded = decodeBody(body, headers["content-transfer-encoding"]);
  if (/^text\/html/i.test(type)) out.html ??= decoded;
  else if (/^text\/plain/i.test(type)) out.text ??= decoded;
}

/** Parses a message minimally: headers, subject, Message-ID, the text and HTML parts. */
export function parseMail(
  raw: string,
): Pick<ReceivedMail, "headers" | "subject" | "messageId" | "text" | "html"> {
  const { headers, body } = splitHeaders(raw);
  const parts = { text: null as string | null, html: null as string | null };
  findParts(headers, body, parts);
  return { headers, subject: headers.subject ?? "", messageId: headers["message-id"] ?? "", ...parts };
}

export async function startSmtpReceiver(opts: SmtpReceiverOptions = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const refusals: { code: number; message: string }[] = [];
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.password)
        return cb(null, { user: auth.username });
      const err = Object.assign(new Error("Authentication credentials invalid"), { responseCode: 535 });
      return cb(err);
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const refusal = refusals.shift();
        if (refusal) return cb(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        const raw = Buffer.concat(chunks).toString("utf8");
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : null,
          raw,
          ...parseMail(raw),
        });
        for (const w of waiters.splice(0)) w();
        return cb(null, "Message queued");
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: "127.0.0.1",
    port,
    messages,
    refuseNext(n, code = 451, message = "Try again later") {
      for (let i = 0; i < n; i++) refusals.push({ code, message });
    },
    waitFor(n, timeoutMs = 10_000) {
      return waitUntil(
        () => messages.length >= n,
        waiters,
        timeoutMs,
        () => `expected ${n} messages, got ${messages.length}`,
      ).then(() => messages);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---------------------------------------------------------------- HTTP

export type ReceivedRequest = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the body had fully arrived (ms since the epoch). */
  at: number;
};

export type ScriptedResponse = {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** Waits this long before answering (a slow receiver). */
  delayMs?: number;
};
/** Answers request number `n` (0-based, counted since the receiver started). */
export type ResponseFn = (req: ReceivedRequest, n: number) => ScriptedResponse;

export type HttpReceiver = {
  /** http://127.0.0.1:<port> — no trailing slash. */
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** TCP connections accepted so far (keep-alive shows as few connections for many requests). */
  connections(): number;
  /**
   * How to answer from now on: a function, or a list used one per request
   * and then 200 "ok" again (e.g. three 500s, then 200).
   */
  respond(script: ResponseFn | ScriptedResponse[]): void;
  /** Stops listening and drops open connections: requests are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
};

const OK: ScriptedResponse = { status: 200, headers: { "content-type": "text/plain" }, body: "ok" };

function waitUntil(done: () => boolean, waiters: (() => void)[], timeoutMs: number, why: () => string) {
  return new Promise<void>((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => reject(new Error(`timed out: ${why()}`)), timeoutMs);
    const check = () => {
      if (!done()) return void waiters.push(check);
      clearTimeout(timer);
      resolve();
    };
    waiters.push(check);
  });
}

export async function startHttpReceiver(opts: { port?: number } = {}): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: (() => void)[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let script: ResponseFn = () => OK;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: ReceivedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      const n = requests.push(r) - 1;
      let answer: ScriptedResponse;
      try {
        answer = script(r, n);
      } catch (err) {
        answer = { status: 500, body: String(err) };
      }
      for (const w of waiters.splice(0)) w();
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? "");
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    accepted++;
    s.on("close", () => sockets.delete(s));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connections: () => accepted,
    respond(s) {
      if (typeof s === "function") {
        script = s;
        return;
      }
      const queue = [...s];
      script = () => queue.shift() ?? OK;
    },
    down: stop,
    up: () => (server.listening ? Promise.resolve() : listen(port)),
    waitFor(n, timeoutMs = 10_000) {
      return waitUntil(
        () => requests.length >= n,
        waiters,
        timeoutMs,
        () => `expected ${n} requests, got ${requests.length}`,
      ).then(() => requests);
    },
    close: stop,
  };
}
