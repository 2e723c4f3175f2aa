import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import type { EmailMessage, SendResult, SmtpSettings } from "./types.js";

/**
 * Email through SMTP (nodemailer, pooled): one mailer per SMTP setting, each
 * message multipart text + HTML with a Message-ID made of the delivery's id,
 * the same on every attempt. Failures come back as results in words naming
 * host:port — never the password.
 */

const RESPONSE_MAX = 2000;

export type Mailer = {
  send(msg: EmailMessage): Promise<SendResult>;
  close(): void;
};

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; command?: string };

/** The system error behind a connection failure (ECONNREFUSED, ENOTFOUND…), else nodemailer's code. */
function causeCode(err: SmtpError): string | null {
  const sys = /\b(E[A-Z]{3,}|ERR_[A-Z_]+)\b/.exec(err.message)?.[1];
  if (sys && sys !== err.code) return sys;
  return err.code ?? null;
}

/** Removes the password, raw or as AUTH sends it (base64), from a text. */
export function scrubber(smtp: SmtpSettings): (s: string) => string {
  const pw = smtp.password;
  if (!pw) return (s) => s;
  const forms = [
    pw,
    Buffer.from(pw).toString("base64"),
    Buffer.from(`\u0000${smtp.user ?? ""}\u0000${pw}`).toString("base64"),
  ].sort((a, b) => b.length - a.length);
  return (s) => forms.reduce((out, f) => out.replaceAll(f, "[redacted]"), s);
}

/** An SMTP failure as a result: the server's reply code when it answered, else null and why not. */
export function smtpFailure(err: SmtpError, smtp: SmtpSettings, started: number): SendResult {
  const scrub = scrubber(smtp);
  const where = `${smtp.host}:${smtp.port}`;
  const reply = err.response ? scrub(err.response).slice(0, RESPONSE_MAX) : null;
  const latency_ms = performance.now() - started;
  if (typeof err.responseCode === "number") {
    const said = reply ? ` (${reply.slice(0, 300)})` : ` (${err.responseCode})`;
    const what =
      err.code === "EAUTH"
        ? `${where} refused the login`
        : err.code === "EENVELOPE"
          ? `${where} refused the sender or the recipient`
          : `${where} refused the message`;
    return {
      ok: false,
      status: err.responseCode,
      retry_after: null,
      error: what + said,
      response: reply,
      latency_ms,
    };
  }
  const code = causeCode(err);
  const tag = code ? ` (${code})` : "";
  let error: string;
  if (code === "ETIMEDOUT" || err.code === "ETIMEDOUT") error = `no answer from ${where} in time${tag}`;
  else if (err.code === "ETLS" || /tls|ssl|certificate/i.test(err.message))
    error = `could not set up TLS with ${where}${tag}`;
  else if (err.code === "EAUTH" || err.code === "ENOAUTH") error = `could not log in to ${where}${tag}`;
  else if (err.code === "EENVELOPE") error = `the message's sender or recipient was not accepted${tag}`;
  else error = `could not connect to ${where}${tag}`;
  return { ok: false, status: null, retry_after: null, error: scrub(error), response: reply, latency_ms };
}

/** A pooled SMTP sender for one setting; `close()` ends its connections. */
export function createMailer(smtp: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === "tls",
    requireTLS: smtp.security === "starttls",
    ignoreTLS: smtp.security === "none",
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? "" } } : {}),
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
    debug: false,
  });
  // A pooled connection that fails between messages reports here; the next send reports its own failure.
  transport.on("error", () => {});
  const scrub = scrubber(smtp);

  return {
    async send(msg: EmailMessage): Promise<SendResult> {
      const started = performance.now();
      try {
        const info = await transport.sendMail({
          from: smtp.from,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          html: msg.html,
          messageId: `<${msg.message_id}@keepwell>`,
          headers: { "X-Keepwell-Delivery": msg.message_id },
        });
        const response =
          typeof info.response === "string" ? scrub(info.response).slice(0, RESPONSE_MAX) : null;
        const code = Number(/^(\d{3})/.exec(response ?? "")?.[1] ?? 250);
        const ok = info.accepted.length > 0;
        return {
          ok,
          status: code,
          retry_after: null,
          error: ok ? null : `${smtp.host}:${smtp.port} accepted no recipient`,
          response,
          latency_ms: performance.now() - started,
        };
      } catch (err) {
        if (!(err instanceof Error)) throw err;
        return smtpFailure(err as SmtpError, smtp, started);
      }
    },
    close() {
      transport.close();
    },
  };
}
