import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SecretBox, secretBox, secretBoxFor } from "../src/auth/index.js";
import { type Db, openPglite } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { type SmtpReceiver, startSmtpReceiver } from "./helpers/receivers.js";

const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
const PASSWORD = "cli-smtp-password-Zq81";
const KEY = "notify-cli-tests-secret-key-0123456789";

type Result = { code: number; stdout: string; stderr: string };

/**
 * `keepwell notify smtp | settings | test` as a person runs them, against a
 * real SMTP server: on PGlite (its own data folder, its own key file) or
 * PostgreSQL (its own schema, KEEPWELL_SECRET_KEY), whichever the suite runs on.
 */
describe(`keepwell notify (commands, ${storeName})`, () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), "keepwell-notify-cli-")), ".keepwell");
  let pg: Db | undefined;
  let env: NodeJS.ProcessEnv;
  let smtp: SmtpReceiver;

  const keepwell = (args: string[], input = "", over: NodeJS.ProcessEnv = env): Promise<Result> =>
    new Promise((resolve) => {
      const child = execFile("node", [cli, ...args], { env: over }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(input);
    });
  const ok = async (args: string[], input = "") => {
    const r = await keepwell(args, input);
    expect(r, args.join(" ")).toMatchObject({ code: 0 });
    return r.stdout;
  };
  /** The store between commands (PGlite's folder is free once a command has exited), and its secret box. */
  const withDb = async <T>(fn: (db: Db, box: SecretBox) => Promise<T>): Promise<T> => {
    if (pg) return fn(pg, secretBox(KEY));
    const db = await openPglite({ dataDir });
    try {
      return await fn(db, secretBoxFor({ dataDir, embedded: true }));
    } finally {
      await db.close();
    }
  };
  const smtpArgs = () => [
    "notify",
    "smtp",
    "--host",
    smtp.host,
    "--port",
    String(smtp.port),
    "--security",
    "none",
  ];

  beforeAll(async () => {
    smtp = await startSmtpReceiver({ auth: { user: "mailer", password: PASSWORD } });
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !k.startsWith("KEEPWELL_") && k !== "DATABASE_URL" && k !== "TEST_DATABASE_URL",
      ),
    );
    env = { ...clean, KEEPWELL_DATA_DIR: dataDir };
    if (storeName === "postgres") {
      pg = await testDb();
      env.DATABASE_URL = process.env.TEST_DATABASE_URL;
      env.KEEPWELL_DATABASE_SCHEMA = pg.schema;
      env.KEEPWELL_SECRET_KEY = KEY;
    }
  }, 60_000);
  afterAll(async () => {
    await smtp.close();
    await pg?.close();
  });

  it("shows no SMTP at first, and a test email says so", async () => {
    const s = JSON.parse(await ok(["notify", "settings", "--json"]));
    expect(s).toMatchObject({ smtp: null, smtp_source: null, slack_channels: [], budget_per_day: 20 });
    expect(await ok(["notify", "settings"])).toContain("SMTP: not set up");
    const r = await keepwell(["notify", "test", "--email", "ops@kw.example"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no SMTP server is set up");
  }, 60_000);

  it("sets SMTP with the password from stdin, sealed, never printed", async () => {
    const out = await ok(
      [...smtpArgs(), "--user", "mailer", "--password-stdin", "--from", "Keepwell <alerts@kw.example>"],
      `${PASSWORD}\n`,
    );
    expect(out).toContain(`SMTP (settings): ${smtp.host}:${smtp.port} none, user mailer, password set`);
    const json = await ok(["notify", "settings", "--json"]);
    expect(JSON.parse(json).smtp).toEqual({
      host: smtp.host,
      port: smtp.port,
      security: "none",
      user: "mailer",
      from: "Keepwell <alerts@kw.example>",
      password_set: true,
    });
    for (const text of [out, json]) expect(text).not.toContain(PASSWORD);
    await withDb(async (db, box) => {
      const [row] = await db.query<{ smtp_password: string }>(
        "SELECT smtp_password FROM notification_settings",
      );
      expect(row?.smtp_password).not.toContain(PASSWORD);
      expect(box.open(row?.smtp_password as string)).toBe(PASSWORD);
      const audits = await db.query<{ actor_type: string; action: string }>(
        "SELECT actor_type, action, before, after FROM audit_log WHERE action = 'notify.settings_changed'",
      );
      expect(audits.map((a) => [a.actor_type, a.action])).toEqual([["cli", "notify.settings_changed"]]);
      expect(JSON.stringify(audits)).not.toContain(PASSWORD);
    });
    const bad = await keepwell([...smtpArgs().slice(0, 4), "--port", "abc", "--security", "none"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"field":"smtp.port"');
  }, 60_000);

  it("sends a test email that arrives, and exits 1 with the server's refusal", async () => {
    const out = await ok(["notify", "test", "--email", "ops@kw.example"]);
    expect(out).toMatch(/^delivered to ops@kw\.example \(the server answered 250\)/);
    const [mail] = await smtp.waitFor(1);
    expect(mail).toMatchObject({ subject: "Keepwell test email", to: ["ops@kw.example"], user: "mailer" });

    smtp.refuseNext(1, 550, "Mailbox unavailable");
    const refused = await keepwell(["notify", "test", "--email", "ops@kw.example", "--json"]);
    expect(refused.code).toBe(1);
    const r = JSON.parse(refused.stdout);
    expect(r).toMatchObject({ state: "dead", status: 550 });
    expect(r.error).toMatch(/refused the message.*Mailbox unavailable/);
    const text = await keepwell(["notify", "test", "--email", "bad address"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain('"field":"to"');

    // Set again without --password-stdin: the stored password is kept, and still logs in.
    const kept = await ok([...smtpArgs(), "--user", "mailer", "--from", "alerts@kw.example"]);
    expect(kept).toContain("password set, from alerts@kw.example");
    expect(await ok(["notify", "test", "--email", "two@kw.example"])).toContain(
      "delivered to two@kw.example",
    );
    const all = await smtp.waitFor(2);
    expect(all.map((m) => m.to[0])).toEqual(["ops@kw.example", "two@kw.example"]);
    await withDb(async (db) => {
      const rows = await db.query<{ state: string }>(
        "SELECT state FROM deliveries WHERE event_type = 'notify.test' ORDER BY created_at, id",
      );
      expect(rows.map((x) => x.state).sort()).toEqual(["dead", "delivered", "delivered"]);
    });
  }, 90_000);

  it.skipIf(storeName !== "postgres")(
    "on PostgreSQL without KEEPWELL_SECRET_KEY, refuses to store a password",
    async () => {
      const { KEEPWELL_SECRET_KEY: _k, ...noKey } = env;
      const r = await keepwell([...smtpArgs(), "--user", "u", "--password-stdin"], "pw\n", noKey);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("KEEPWELL_SECRET_KEY");
    },
    60_000,
  );
});
