import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Db, openPglite } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { type HttpReceiver, startHttpReceiver } from "./helpers/receivers.js";

const run = promisify(execFile);
// biome-ignore lint/suspicious/noExplicitAny: answers read loosely, asserted field by field
type Json = Record<string, any>;

/**
 * `keepwell webhooks add | list | test | rotate | remove` and `keepwell
 * deliveries [replay]` as an operator runs them on the server's shell, with
 * a real receiver: the secret printed once signs what the receiver gets.
 */
describe(`keepwell webhooks (${storeName})`, { timeout: 180_000 }, () => {
  const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
  let env: NodeJS.ProcessEnv;
  let args: string[] = [];
  let pgDb: Db | undefined;
  let dataDir = "";
  let rx: HttpReceiver;

  async function keepwell(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const r = await run("node", [cli, ...args, ...argv], { env });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }
  const json = async (...argv: string[]) => {
    const r = await keepwell(...argv, "--json");
    return { ...r, body: JSON.parse(r.stdout || "null") as Json };
  };
  async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    if (pgDb) return fn(pgDb);
    const db = await openPglite({ dataDir });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    rx = await startHttpReceiver();
    const {
      DATABASE_URL: _u,
      KEEPWELL_DATA_DIR: _d,
      KEEPWELL_DATABASE_SCHEMA: _s,
      KEEPWELL_SECRET_KEY: _k,
      ...rest
    } = process.env;
    if (storeName === "postgres") {
      pgDb = await testDb();
      const [{ schema } = { schema: "" }] = await pgDb.query<{ schema: string }>(
        "SELECT current_schema() AS schema",
      );
      env = {
        ...rest,
        DATABASE_URL: process.env.TEST_DATABASE_URL,
        KEEPWELL_DATABASE_SCHEMA: schema,
        KEEPWELL_SECRET_KEY: "cli tests' secret key, long enough",
      };
    } else {
      // The embedded store seals with its own key file, made on first use.
      dataDir = join(mkdtempSync(join(tmpdir(), "keepwell-webhooks-cli-")), ".keepwell");
      const db = await openPglite({
        dataDir,
        loadDataDir: new Blob([readFileSync(inject("pgliteTemplate"))]),
      });
      await db.close();
      env = rest;
      args = ["--data-dir", dataDir];
    }
  }, 120_000);
  afterAll(async () => {
    await rx.close();
    await pgDb?.close();
  });

  it("adds an endpoint printing {id, secret}, lists it, sends it a signed test, rotates, replays and removes it", async () => {
    const added = await json(
      "webhooks",
      "add",
      `${rx.url}/in`,
      "--events",
      "play.opened,account.band_changed",
    );
    expect(added.code, added.stderr).toBe(0);
    expect(Object.keys(added.body).sort()).toEqual(["id", "secret"]);
    const { id, secret } = added.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(added.stdout.trim()).toBe(JSON.stringify({ id, secret }));

    const bad = await json("webhooks", "add", `${rx.url}/in`, "--events", "play.opened,play.exploded");
    expect(bad.code).toBe(1);
    expect(bad.body).toMatchObject({
      error: { code: "validation_failed", details: [{ field: "events[1]" }] },
    });

    const listed = await json("webhooks", "list");
    expect(listed.body.map((w: Json) => w.id)).toEqual([id]);
    expect(listed.body[0]).toMatchObject({
      url: `${rx.url}/in`,
      event_types: ["play.opened", "account.band_changed"],
      disabled_at: null,
    });
    expect(listed.stdout).not.toContain(secret);
    const human = await keepwell("webhooks", "list");
    expect(human.stdout).toMatch(new RegExp(`${id}\\s+active\\s+0/0/0\\s+${rx.url}/in`));

    const tested = await keepwell("webhooks", "test", id);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/delivered \(200\)/);
    const got = rx.requests.at(-1)!;
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({
      type: "webhook.test",
    });

    const rotated = await json("webhooks", "rotate", id);
    expect(rotated.body).toEqual({ id, secret: expect.stringMatching(/^whsec_/) });
    expect(rotated.body.secret).not.toBe(secret);

    const deliveries = await json("deliveries");
    expect(deliveries.body.items).toEqual([
      expect.objectContaining({ id: got.headers["webhook-id"], state: "delivered", endpoint_id: id }),
    ]);
    expect((await json("deliveries", "--state", "dead,uncertain")).body.items).toEqual([]);
    const badState = await json("deliveries", "--state", "lost");
    expect(badState.body).toMatchObject({ error: { details: [{ field: "state" }] } });

    const replay = await keepwell("deliveries", "replay", String(got.headers["webhook-id"]));
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/pending again: the server's workers will deliver it/);
    const again = await keepwell("deliveries", "replay", String(got.headers["webhook-id"]));
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/conflict.*pending/);

    const removed = await keepwell("webhooks", "remove", id);
    expect(removed.code, removed.stderr).toBe(0);
    const after = await json("webhooks", "list");
    expect(after.body[0]).toMatchObject({ id, disabled_reason: "removed", disabled_at: expect.any(String) });
    expect((await keepwell("webhooks", "list")).stdout).toMatch(new RegExp(`${id}\\s+removed`));
    const state = await withDb((db) =>
      db.query<{ state: string }>("SELECT state FROM deliveries WHERE endpoint_id = $1", [id]),
    );
    // The replayed delivery was pending: removing the endpoint cancelled it.
    expect(state.map((s) => s.state)).toEqual(["cancelled"]);
    const audits = await withDb((db) =>
      db.query<{ action: string; actor_type: string }>(
        "SELECT action, actor_type FROM audit_log WHERE subject_id IN ($1, $2) ORDER BY id",
        [id, got.headers["webhook-id"]],
      ),
    );
    expect(audits.map((a) => a.action)).toEqual([
      "webhook.created",
      "webhook.tested",
      "webhook.secret_rotated",
      "delivery.replayed",
      "webhook.removed",
    ]);
    expect(audits.every((a) => a.actor_type === "cli")).toBe(true);
  });
});
