import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { canChangeAccount, createKey, listOwners, mapOwner, revokeKey } from "../src/auth/index.js";
import type { Db } from "../src/store/index.js";
import { migrate, openPglite } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { addUser, sessionHeaders } from "./helpers/team.js";

const SYSTEM = { type: "system" as const, id: null, label: "tests" };

describe(`API keys and account owners (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await testDb();
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("shows a key once, stores its hash, records its use, and stops it when revoked or expired", async () => {
    const admin = await addUser(db, "admin");
    const headers = await sessionHeaders(db, admin);
    const made = await app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers,
      payload: { name: "warehouse", scopes: ["ingest", "read"] },
    });
    expect(made.statusCode).toBe(200);
    const { key, id } = made.json() as { key: string; id: string };
    expect(key).toMatch(/^kw_[A-Za-z0-9_-]{40,}$/);
    const list = await app.inject({ url: "/api/v1/api-keys", headers });
    expect(list.body).not.toContain(key);
    expect(list.json().data[0]).toMatchObject({
      id,
      prefix: key.slice(0, 10),
      scopes: ["ingest", "read"],
      last_used_at: null,
    });
    const stored = await db.query<{ key_hash: string }>("SELECT key_hash FROM api_keys WHERE id = $1", [id]);
    expect(stored[0]!.key_hash).not.toContain(key.slice(3));

    const bearer = { authorization: `Bearer ${key}` };
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/api/v1/accounts",
          headers: bearer,
          payload: [{ id: "acc_k", name: "K" }],
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: "PUT", url: "/api/v1/scorecard", headers: bearer, payload: {} }))
        .statusCode,
    ).toBe(403);
    const [used] = await db.query<{ last_used_at: string | null }>(
      "SELECT last_used_at FROM api_keys WHERE id = $1",
      [id],
    );
    expect(used!.last_used_at).not.toBeNull();

    await db.transaction((tx) => revokeKey(tx, id, SYSTEM));
    expect((await app.inject({ url: "/api/v1/accounts", headers: bearer })).statusCode).toBe(401);
    const soon = await db.transaction((tx) =>
      createKey(
        tx,
        { name: "short", scopes: ["read"], expires_at: new Date(Date.now() + 1000).toISOString() },
        SYSTEM,
        new Date(),
      ),
    );
    expect(
      (await app.inject({ url: "/api/v1/accounts", headers: { authorization: `Bearer ${soon.key}` } }))
        .statusCode,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect(
      (await app.inject({ url: "/api/v1/accounts", headers: { authorization: `Bearer ${soon.key}` } }))
        .statusCode,
    ).toBe(401);
    const bad = await app.inject({
      method: "POST",
      url: "/api/v1/api-keys",
      headers,
      payload: { name: "x", scopes: ["root"] },
    });
    expect(bad.json().error.details[0].field).toBe("scopes");
    const actions = (
      await db.query<{ action: string }>("SELECT action FROM audit_log WHERE subject_type = 'api_key'")
    ).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["key.created", "key.revoked"]));
  });

  it("resolves account owners by mapping, email and name, lists the unresolved, and decides who may change an account", async () => {
    const leader = await addUser(db, "leader", { email: "lee@example.com", name: "Lee Leader" });
    const csm = await addUser(db, "csm", {
      email: "casey@example.com",
      name: "Casey Moss",
      manager: leader.id,
    });
    const other = await addUser(db, "csm", { email: "olive@example.com", name: "Olive Other" });
    const viewer = await addUser(db, "viewer", { email: "vic@example.com", name: "Vic" });
    await addUser(db, "csm", { email: "sam1@example.com", name: "Sam Same" });
    await addUser(db, "csm", { email: "sam2@example.com", name: "Sam Same" });
    const key = (
      await db.transaction((tx) => createKey(tx, { name: "ingest", scopes: ["ingest"] }, SYSTEM, new Date()))
    ).key;
    const accounts = [
      { id: "acc_email", name: "By email", owner: "CASEY@example.com" },
      { id: "acc_name", name: "By name", owner: "casey moss" },
      { id: "acc_other", name: "Other's", owner: "Olive Other" },
      { id: "acc_same", name: "Ambiguous", owner: "Sam Same" },
      { id: "acc_crm", name: "CRM spelling", owner: "C. Moss" },
    ];
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/api/v1/accounts",
          headers: { authorization: `Bearer ${key}` },
          payload: accounts,
        })
      ).statusCode,
    ).toBe(200);
    const before = await listOwners(db);
    expect(before.filter((o) => !o.user).map((o) => o.owner)).toEqual(["C. Moss", "Sam Same"]);
    expect(before.find((o) => o.owner === "CASEY@example.com")).toMatchObject({
      user: { id: csm.id },
      by: "email",
    });
    await db.transaction((tx) => mapOwner(tx, "C. Moss", csm.id, SYSTEM));
    expect((await listOwners(db)).find((o) => o.owner === "C. Moss")).toMatchObject({
      user: { id: csm.id },
      by: "mapping",
    });

    const mine = await app.inject({
      url: "/api/v1/accounts?book=mine",
      headers: await sessionHeaders(db, csm),
    });
    expect(
      mine
        .json()
        .data.map((a: { id: string }) => a.id)
        .sort(),
    ).toEqual(["acc_crm", "acc_email", "acc_name"]);
    expect(mine.json().data[0].owner_user).toMatchObject({ id: csm.id, name: "Casey Moss" });
    const team = await app.inject({
      url: "/api/v1/accounts?book=team",
      headers: await sessionHeaders(db, leader),
    });
    expect(team.json().data).toHaveLength(3);

    const as = (u: typeof csm) => ({
      kind: "user" as const,
      user: u,
      session: { tokenHash: "", csrfHash: "" },
    });
    expect(await canChangeAccount(db, as(csm), "acc_name")).toBe(true);
    expect(await canChangeAccount(db, as(csm), "acc_other")).toBe(false);
    expect(await canChangeAccount(db, as(leader), "acc_email")).toBe(true);
    expect(await canChangeAccount(db, as(leader), "acc_other")).toBe(false);
    expect(await canChangeAccount(db, as(other), "acc_other")).toBe(true);
    expect(await canChangeAccount(db, as(viewer), "acc_other")).toBe(false);
  });
});

describe.skipIf(storeName !== "pglite")("keepwell users and api-keys (commands)", () => {
  it("adds a user with a password from stdin, lists users, makes a reset link, and creates a key that works", async () => {
    const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
    const dataDir = join(mkdtempSync(join(tmpdir(), "keepwell-users-cli-")), ".keepwell");
    const { DATABASE_URL: _u, KEEPWELL_DATA_DIR: _d, ...env } = process.env;
    const keepwell = (args: string[], input?: string) =>
      new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
        const child = execFile(
          "node",
          [cli, "--data-dir", dataDir, ...args],
          { env },
          (err, stdout, stderr) =>
            err ? reject(Object.assign(err, { stdout, stderr })) : resolve({ stdout, stderr }),
        );
        child.stdin?.end(input ?? "");
      });
    await keepwell(
      ["users", "add", "--email", "ada@example.com", "--name", "Ada", "--role", "admin", "--password-stdin"],
      "a long admin password\n",
    );
    const invited = JSON.parse(
      (
        await keepwell([
          "users",
          "add",
          "--email",
          "bo@example.com",
          "--name",
          "Bo",
          "--role",
          "csm",
          "--manager",
          "ada@example.com",
          "--json",
        ])
      ).stdout,
    );
    expect(invited.link).toMatch(/^http:\/\/127\.0\.0\.1:3000\/reset\?token=/);
    const list = JSON.parse((await keepwell(["users", "list", "--json"])).stdout);
    expect(list.map((u: { email: string; role: string }) => [u.email, u.role])).toEqual([
      ["ada@example.com", "admin"],
      ["bo@example.com", "csm"],
    ]);
    expect((await keepwell(["users", "reset-link", "bo@example.com", "--json"])).stdout).toMatch(
      /"link":"http/,
    );
    const dup = await keepwell([
      "users",
      "add",
      "--email",
      "ADA@example.com",
      "--name",
      "Again",
      "--role",
      "csm",
    ]).catch((e) => e);
    expect(dup.code).toBe(1);
    const created = JSON.parse(
      (await keepwell(["api-keys", "create", "--name", "zapier", "--scopes", "read,ingest", "--json"]))
        .stdout,
    );
    expect(Object.keys(created).sort()).toEqual(["id", "key", "scopes"]);

    const db = await openPglite({ dataDir });
    try {
      await migrate(db);
      const app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
      const res = await app.inject({
        url: "/api/v1/accounts",
        headers: { authorization: `Bearer ${created.key}` },
      });
      expect(res.statusCode).toBe(200);
      await app.close();
      const labels = (
        await db.query<{ actor_label: string }>("SELECT DISTINCT actor_label FROM audit_log")
      ).map((r) => r.actor_label);
      expect(labels.some((l) => l.startsWith("cli ("))).toBe(true);
    } finally {
      await db.close();
    }
    const revoked = await keepwell(["api-keys", "revoke", created.id]);
    expect(revoked.stdout).toMatch(new RegExp(`revoked ${created.id}`));
  }, 180_000);
});
