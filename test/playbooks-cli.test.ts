import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PLAYBOOKS_YAML } from "../src/domain/playbooks/index.js";
import { type Db, openPglite } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

const run = promisify(execFile);
const cli = join(import.meta.dirname, "..", "bin", "keepwell.js");

type Result = { code: number; stdout: string; stderr: string };

/**
 * `keepwell playbooks check | apply | show | simulate` as a person runs them,
 * on a small simulated company scored month by month: on PGlite (its own
 * data folder) or PostgreSQL (its own schema), whichever the suite runs on.
 */
describe(`keepwell playbooks (commands, ${storeName})`, () => {
  const dir = mkdtempSync(join(tmpdir(), "keepwell-playbooks-cli-"));
  const dataDir = join(dir, ".keepwell");
  const playbooksFile = join(dir, "keepwell.playbooks.yaml");
  let pg: Db | undefined;
  let env: NodeJS.ProcessEnv;

  const keepwell = (...args: string[]): Promise<Result> =>
    run("node", [cli, ...args], { env }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );
  const ok = async (...args: string[]) => {
    const r = await keepwell(...args);
    expect(r, args.join(" ")).toMatchObject({ code: 0 });
    return r.stdout;
  };
  /** The store between commands (PGlite's folder is free once a command has exited). */
  const withDb = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    if (pg) return fn(pg);
    const db = await openPglite({ dataDir });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    const { DATABASE_URL: _u, KEEPWELL_DATABASE_SCHEMA: _s, KEEPWELL_SCORECARD: _f, ...rest } = process.env;
    env = { ...rest, KEEPWELL_DATA_DIR: dataDir, KEEPWELL_PLAYBOOKS: playbooksFile };
    if (storeName === "postgres") {
      pg = await testDb();
      env.DATABASE_URL = process.env.TEST_DATABASE_URL;
      env.KEEPWELL_DATABASE_SCHEMA = pg.schema;
    }
    await ok(
      "simulate",
      "--accounts",
      "60",
      "--months",
      "12",
      "--seed",
      "playbooks-cli",
      "--end",
      "2025-07-01",
    );
    // Two of the simulated CSMs' names as users (accounts name their owner), and their lead.
    await ok("users", "add", "--email", "lead@pb.example", "--name", "Pat Lead", "--role", "leader");
    for (const [email, name] of [
      ["maya@pb.example", "Maya Chen"],
      ["tom@pb.example", "Tom Becker"],
    ] as const)
      await ok(
        "users",
        "add",
        "--email",
        email,
        "--name",
        name,
        "--role",
        "csm",
        "--manager",
        "lead@pb.example",
      );
    await ok("score", "--backfill", "--from", "2024-08-01", "--to", "2025-07-01");
  }, 240_000);

  afterAll(async () => {
    await pg?.close();
  });

  it("check names each problem's line and path, and fails", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      [
        "playbooks:",
        "  - key: watch",
        "    name: Watch",
        "    trigger: { band: purple }",
        "    owner: { user: nobody@pb.example }",
        "    due: 3 days",
        "",
      ].join("\n"),
    );
    const r = await keepwell("playbooks", "check", bad);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toContain(
      'line 4: playbooks[0].trigger.band: must be one of "healthy", "watch", "at_risk", "critical" or a list of them',
    );
    expect(lines).toContain("line 6: playbooks[0].due: must be a duration such as 0h, 30m, 48h, 14d or 2w");
    expect(lines).toHaveLength(2);

    // Valid on its own, but the named user is not one: the store says so, by path.
    writeFileSync(
      bad,
      DEFAULT_PLAYBOOKS_YAML.replace("owner: executive\n", "owner: { user: nobody@pb.example }\n"),
    );
    const unknown = await keepwell("playbooks", "check", bad, "--json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      ok: false,
      errors: [{ path: "playbooks[0].owner.user", message: "nobody@pb.example is not an active user" }],
    });
    expect((await keepwell("playbooks", "check", join(dir, "missing.yaml"))).code).toBe(1);
  }, 60_000);

  it("apply saves a new version as the CLI, copies the file, and show prints it", async () => {
    const mine = join(dir, "mine.yaml");
    const text = `# our playbooks\n${DEFAULT_PLAYBOOKS_YAML.replace("hysteresis: 3", "hysteresis: 5")}`;
    writeFileSync(mine, text);
    expect((await ok("playbooks", "check", mine)).trim()).toBe(`${mine}: 6 playbooks, no problems`);

    const applied = JSON.parse(await ok("playbooks", "apply", mine, "--json"));
    expect(applied).toMatchObject({ version: 2, previous_version: 1, changed: true });
    expect(readFileSync(playbooksFile, "utf8")).toBe(text);
    expect(await ok("playbooks", "show")).toBe(text);
    const again = JSON.parse(await ok("playbooks", "apply", mine, "--json"));
    expect(again).toMatchObject({ version: 2, changed: false });

    const audit = await withDb((db) =>
      db.query<{ actor_type: string; subject_id: string }>(
        "SELECT actor_type, subject_id FROM audit_log WHERE action = 'playbooks.changed' ORDER BY id",
      ),
    );
    expect(audit).toEqual([{ actor_type: "cli", subject_id: "2" }]);
    expect((await ok("playbooks", "show", "--default")).startsWith("# Keepwell playbooks:")).toBe(true);
  }, 60_000);

  it("simulate --json reports consistent figures, and the file's own when given one", async () => {
    const range = ["--from", "2024-09-01", "--to", "2025-04-01"];
    const r = JSON.parse(await ok("playbooks", "simulate", ...range, "--json"));
    for (const key of [
      "plays_per_week",
      "plays_per_owner_per_week",
      "churners_reached_share",
      "churners_reached_60d_share",
      "median_days_ahead",
      "plays_on_churners_share",
    ])
      expect(r, key).toHaveProperty(key);
    expect(r).toMatchObject({ from: "2024-09-01", to: "2025-04-01", months: 8 });
    expect(r.accounts).toBeGreaterThan(40);
    expect(r.plays_opened).toBeGreaterThan(0);
    expect(r.first_month_plays).toBeLessThanOrEqual(r.plays_opened);
    const sum = (list: { plays: number }[]) => list.reduce((s, x) => s + x.plays, 0);
    expect(sum(r.per_owner)).toBe(r.plays_opened);
    expect(sum(r.per_playbook)).toBe(r.plays_opened);
    expect(sum(r.per_week)).toBeCloseTo(r.plays_opened, 0);
    expect(r.plays_per_week).toBeCloseTo(r.plays_opened / r.weeks, 1);
    // The users own plays: Maya's and Tom's accounts resolve to them.
    const owners = r.per_owner.map((o: { owner: { email: string } | null }) => o.owner?.email ?? null);
    expect(owners).toEqual(expect.arrayContaining(["maya@pb.example", "tom@pb.example"]));
    expect(r.churners).toBeGreaterThan(0);
    expect(r.churners_reached).toBeLessThanOrEqual(r.churners);
    expect(r.churners_reached_share).toBeCloseTo(r.churners_reached / r.churners, 2);
    expect(r.churners_reached_60d_share).toBeLessThanOrEqual(r.churners_reached_share);
    expect(r.churners_reached_90d_share).toBeLessThanOrEqual(r.churners_reached_60d_share);
    expect(r.plays_on_churners_share).toBeGreaterThanOrEqual(0);
    expect(r.plays_on_churners_share).toBeLessThanOrEqual(1);
    expect(r.arr_covered).toBeLessThanOrEqual(r.arr_total);
    for (const p of r.per_playbook) expect(p.churners_reached).toBeLessThanOrEqual(r.churners_reached);

    // The critical playbook alone: the top tier opens whatever else is open, so it opens the same plays.
    const critical = join(dir, "critical.yaml");
    const body = DEFAULT_PLAYBOOKS_YAML.slice(0, DEFAULT_PLAYBOOKS_YAML.indexOf("  - key: at_risk"));
    writeFileSync(critical, body);
    const only = JSON.parse(await ok("playbooks", "simulate", "--file", critical, ...range, "--json"));
    const inDefault = r.per_playbook.find((p: { playbook: string }) => p.playbook === "critical");
    expect(only.plays_opened).toBe(inDefault.plays);
    expect(only.per_playbook).toEqual([inDefault]);
    expect(only.churners).toBe(r.churners);

    // Nothing was written: simulating opens no plays.
    const [{ n }] = (await withDb((db) =>
      db.query<{ n: number }>("SELECT count(*)::int AS n FROM plays"),
    )) as [{ n: number }];
    expect(n).toBe(0);

    const human = await ok("playbooks", "simulate", ...range);
    expect(human).toMatch(/plays opened\s+\d+: [\d.]+ a week/);
    expect(human).toMatch(/Maya Chen <maya@pb.example>/);
  }, 120_000);

  it("simulate refuses bad dates and a range without history, naming the field", async () => {
    const bad = await keepwell(
      "playbooks",
      "simulate",
      "--from",
      "2025-02-30",
      "--to",
      "2025-04-01",
      "--json",
    );
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.details).toEqual([
      { field: "from", message: "must be a date (YYYY-MM-DD)" },
    ]);
    const reversed = await keepwell(
      "playbooks",
      "simulate",
      "--from",
      "2025-04-01",
      "--to",
      "2025-01-01",
      "--json",
    );
    expect(JSON.parse(reversed.stdout).error.details[0]).toMatchObject({ field: "to" });
    const empty = await keepwell(
      "playbooks",
      "simulate",
      "--from",
      "2020-01-01",
      "--to",
      "2020-06-01",
      "--json",
    );
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.stdout).error.details[0].message).toMatch(
      /keepwell score --backfill --from 2020-01-01/,
    );
    expect(existsSync(playbooksFile)).toBe(true);
  }, 60_000);
});
