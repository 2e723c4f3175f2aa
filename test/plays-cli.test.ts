import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Db, openPglite } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { playsWorld } from "./helpers/plays-world.js";

const run = promisify(execFile);
type Json = Record<string, unknown>;

/**
 * `keepwell plays list | show | ack | close` as a person runs them on the
 * server's shell, against a store with plays opened by the playbooks. The
 * CLI acts as the system: the play's history and the audit log name it.
 */
describe(`keepwell plays (${storeName})`, { timeout: 180_000 }, () => {
  const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");
  let env: NodeJS.ProcessEnv;
  let args: string[] = [];
  let pgDb: Db | undefined;
  let dataDir = "";
  let mine: string[] = [];
  let all: string[] = [];

  /** Runs the command; never throws: its exit code, standard output and error. */
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

  /** The store, open while `fn` runs (a PGlite folder is one process's at a time). */
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
    const {
      DATABASE_URL: _u,
      KEEPWELL_DATA_DIR: _d,
      KEEPWELL_DATABASE_SCHEMA: _s,
      KEEPWELL_USER: _k,
      ...rest
    } = process.env;
    if (storeName === "postgres") {
      pgDb = await testDb();
      const w = await playsWorld(pgDb);
      mine = await w.playsOf(w.users.csmA);
      all = w.all;
      const [{ schema } = { schema: "" }] = await pgDb.query<{ schema: string }>(
        "SELECT current_schema() AS schema",
      );
      env = { ...rest, DATABASE_URL: process.env.TEST_DATABASE_URL, KEEPWELL_DATABASE_SCHEMA: schema };
    } else {
      dataDir = join(mkdtempSync(join(tmpdir(), "keepwell-plays-cli-")), ".keepwell");
      const db = await openPglite({
        dataDir,
        loadDataDir: new Blob([readFileSync(inject("pgliteTemplate"))]),
      });
      try {
        const w = await playsWorld(db);
        mine = await w.playsOf(w.users.csmA);
        all = w.all;
      } finally {
        await db.close();
      }
      env = rest;
      args = ["--data-dir", dataDir];
    }
    expect(mine.length).toBeGreaterThanOrEqual(3);
  }, 120_000);
  afterAll(async () => {
    await pgDb?.close();
  });

  it("lists plays by due time, for an owner, overdue, by state; refuses an unknown owner or state", async () => {
    const every = await json("plays", "list");
    expect(every.code, every.stderr).toBe(0);
    expect((every.body.plays as Json[]).map((p) => p.id)).toEqual(all);

    const a = await json("plays", "list", "--owner", "csm.a@team.example");
    expect((a.body.plays as Json[]).map((p) => p.id)).toEqual(mine);
    // The plays opened on 2025-07-01 were due two weeks later: every one is overdue by now.
    const late = await json("plays", "list", "--overdue");
    expect((late.body.plays as Json[]).length).toBe(all.length);
    expect((late.body.plays as Json[]).every((p) => p.overdue === true && (p.late_ms as number) > 0)).toBe(
      true,
    );

    const human = await keepwell("plays", "list", "--owner", "csm.a@team.example");
    const lines = human.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^due\s+overdue\s+state\s+playbook\s+account\s+owner\s+id$/);
    expect(lines).toHaveLength(mine.length + 1);
    expect(lines[1]).toMatch(
      new RegExp(
        `^2025-07-15 09:00 +\\d+d \\d+h late +open +follow_up .+csm\\.a@team\\.example +${mine[0]}$`,
      ),
    );

    const nobody = await json("plays", "list", "--owner", "nobody@team.example");
    expect(nobody.code).toBe(1);
    expect(nobody.body).toMatchObject({
      error: { code: "validation_failed", details: [{ field: "owner" }] },
    });
    const me = await keepwell("plays", "list", "--owner", "me");
    expect(me.code).toBe(1);
    expect(me.stderr).toMatch(/KEEPWELL_USER/);
    const state = await json("plays", "list", "--state", "finished");
    expect(state.code).toBe(1);
    expect(state.body).toMatchObject({ error: { details: [{ field: "state" }] } });
  });

  it("acknowledges a play once, and shows it with its history", async () => {
    const id = mine[0]!;
    const ack = await keepwell("plays", "ack", id);
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toMatch(new RegExp(`^acknowledged ${id} \\(.+: Follow up\\)`));
    expect((await keepwell("plays", "ack", id)).stdout).toMatch(
      /already acknowledged \(acknowledged\): nothing changed/,
    );
    const shown = await json("plays", "show", id);
    expect(shown.body).toMatchObject({ id, state: "acknowledged", can_change: true });
    expect((shown.body.events as Json[]).map((e) => [e.kind, String(e.actor).startsWith("cli (")])).toEqual([
      ["opened", false],
      ["acknowledged", true],
    ]);
    const human = await keepwell("plays", "show", id);
    expect(human.stdout).toMatch(
      /^state {5}acknowledged: opened 2025-07-01 09:00, due 2025-07-15 09:00, \d+d \d+h late$/m,
    );
    expect(human.stdout).toMatch(
      /^ {2}\[ \] Call the customer \(call; csm\.a@team\.example; due 2025-07-03 09:00\)$/m,
    );
    expect(human.stdout).toMatch(/^ {2}\S+ \S+ acknowledged by cli \(/m);
    const missing = await json("plays", "show", "play_nope");
    expect(missing.code).toBe(1);
    expect(missing.body).toMatchObject({ error: { code: "not_found", details: [{ field: "id" }] } });
  });

  it("closes a play only with an outcome, an expansion only with its amount; audited as the CLI", async () => {
    const [saved, expanded] = [mine[1]!, mine[2]!];
    const none = await json("plays", "close", saved);
    expect(none.code).toBe(1);
    expect(none.body).toMatchObject({ error: { details: [{ field: "outcome" }] } });
    const noAmount = await json("plays", "close", expanded, "--outcome", "expanded");
    expect(noAmount.body).toMatchObject({ error: { details: [{ field: "amount" }] } });

    const closed = await keepwell(
      "plays",
      "close",
      saved,
      "--outcome",
      "saved",
      "--note",
      "renewed for two years",
    );
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stdout).toMatch(new RegExp(`^closed ${saved} \\(.+\\) as saved`));
    const grown = await json("plays", "close", expanded, "--outcome", "expanded", "--amount", "5000");
    expect(grown.body).toMatchObject({ state: "closed", outcome: "expanded", outcome_amount: 5000 });
    const again = await json("plays", "close", saved, "--outcome", "lost");
    expect(again.code).toBe(1);
    expect(again.body).toMatchObject({ error: { code: "conflict" } });

    const listed = await json("plays", "list", "--state", "closed");
    expect((listed.body.plays as Json[]).map((p) => p.id).sort()).toEqual([saved, expanded].sort());
    expect((await keepwell("plays", "show", saved)).stdout).toMatch(
      /^outcome {3}saved, \S+ \S+ by cli \(.+\): renewed for two years$/m,
    );
    const audit = await withDb((db) =>
      db.query<{ actor_type: string; subject_id: string; after: Json }>(
        "SELECT actor_type, subject_id, after FROM audit_log WHERE action = 'play.closed' ORDER BY id",
      ),
    );
    expect(audit.map((a) => [a.actor_type, a.subject_id, a.after.outcome])).toEqual([
      ["cli", saved, "saved"],
      ["cli", expanded, "expanded"],
    ]);
  });

  it("`--owner me` is the user named by KEEPWELL_USER", async () => {
    const saved = env;
    env = { ...env, KEEPWELL_USER: "csm.a@team.example" };
    try {
      const me = await json("plays", "list", "--owner", "me");
      expect(me.code, me.stderr).toBe(0);
      expect((me.body.plays as Json[]).map((p) => p.id)).toEqual(
        mine.filter((id) => id !== mine[1] && id !== mine[2]),
      );
    } finally {
      env = saved;
    }
  });
});
