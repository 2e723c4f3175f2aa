import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { activeScorecard, writeScorecardFile } from "../src/scoring/index.js";
import type { Db } from "../src/store/index.js";
import {
  accounts,
  clientsPost,
  events,
  expectedRollups,
  type Listening,
  listening,
  post,
  requests,
  shuffled,
  storedRollup,
  tickets,
} from "./helpers/concurrency-data.js";
import { testDb } from "./helpers/db.js";

const URL_ = process.env.TEST_DATABASE_URL;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ACCOUNTS = 50;
const CLIENTS = 4;
/** Every case does real work many times over (20,000 events × 4 clients take ~2 min on a busy 2-core machine). */
const SLOW = 120_000;
/** Events each client sends (every request a sixth of them, in its own order). */
const EVENTS = 8_000;

/** Answers that are not a 200, with the server-side errors behind any 500. */
function notOk(answers: { status: number; body: string }[], server: Listening) {
  return { bad: answers.filter((a) => a.status !== 200), errors: server.errors };
}

describe.skipIf(!URL_)("PostgreSQL under concurrent writers", () => {
  let db: Db;
  let server: Listening;

  beforeEach(async () => {
    db = await testDb();
    server = await listening(db);
    const loaded = await post(`${server.url}/api/v1/accounts`, accounts(ACCOUNTS));
    expect(loaded.status).toBe(200);
  });

  afterEach(async () => {
    await server.close();
    await db.close();
  });

  it(
    "takes the same 2,000 tickets from 4 clients at once, each in its own order",
    async () => {
      const sent = tickets(2_000, ACCOUNTS);
      const clients = Array.from({ length: CLIENTS }, (_, c) => requests(shuffled(sent, c + 1), 12));
      const answers = await clientsPost(`${server.url}/api/v1/tickets`, clients);
      expect(answers).toHaveLength(CLIENTS * 12);
      expect(notOk(answers, server)).toEqual({ bad: [], errors: [] });
      const stored = await db.query<{ id: string; subject: string }>("SELECT id, subject FROM tickets");
      expect(stored).toHaveLength(2_000);
      const subjects = new Map(stored.map((r) => [r.id, r.subject]));
      for (const t of sent) expect(subjects.get(t.id as string)).toBe(t.subject);
    },
    SLOW,
  );

  it(
    `takes the same ${EVENTS.toLocaleString("en")} events from 4 clients at once, counting each once in the roll-ups`,
    async () => {
      const sent = events(EVENTS, ACCOUNTS);
      const clients = Array.from({ length: CLIENTS }, (_, c) => requests(shuffled(sent, c + 11), 6));
      const answers = await clientsPost(`${server.url}/api/v1/events`, clients);
      expect(answers).toHaveLength(CLIENTS * 6);
      expect(notOk(answers, server)).toEqual({ bad: [], errors: [] });
      const [n] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM events");
      expect(n?.n).toBe(EVENTS);
      const want = expectedRollups(sent);
      const users = await storedRollup(db, "usage_user_days", "user_id");
      const features = await storedRollup(db, "usage_feature_days", "name");
      const total = (m: Map<string, number[]>) => [...m.values()].reduce((a, [e]) => a + e!, 0);
      expect([total(users), total(features)]).toEqual([EVENTS, EVENTS]);
      expect(users).toEqual(want.users);
      expect(features).toEqual(want.features);
    },
    4 * SLOW,
  );

  it(
    "answers 3 scoring runs at once without a 500, leaving one current score per account",
    async () => {
      await post(`${server.url}/api/v1/tickets`, tickets(300, ACCOUNTS));
      await post(`${server.url}/api/v1/events`, events(3_000, ACCOUNTS));
      const body = { as_of: "2026-11-01T00:00:00.000Z" };
      const answers = await Promise.all([1, 2, 3].map(() => post(`${server.url}/api/v1/scoring/runs`, body)));
      const refused = (a: { status: number; body: string }) =>
        a.status === 409 && /\w{3,}/.test(JSON.parse(a.body).error?.message ?? "");
      expect({ bad: answers.filter((a) => a.status !== 200 && !refused(a)), errors: server.errors }).toEqual({
        bad: [],
        errors: [],
      });
      expect(answers.some((a) => a.status === 200)).toBe(true);
      const [row] = await db.query<{ n: number; accounts: number }>(
        "SELECT count(*)::int AS n, count(DISTINCT account)::int AS accounts FROM current_scores",
      );
      expect(row).toEqual({ n: ACCOUNTS, accounts: ACCOUNTS });
    },
    SLOW,
  );

  for (const withFile of [false, true]) {
    it(
      `runs 2 CLI \`keepwell score\` processes at once (${withFile ? "with" : "without"} a scorecard file)`,
      async () => {
        await post(`${server.url}/api/v1/events`, events(3_000, ACCOUNTS));
        const [{ schema }] = (await db.query<{ schema: string }>("SELECT current_schema() AS schema")) as [
          { schema: string },
        ];
        const dir = mkdtempSync(join(tmpdir(), "keepwell-cli-race-"));
        const scorecardFile = join(dir, "keepwell.scorecard.yaml");
        if (withFile) writeScorecardFile(scorecardFile, (await activeScorecard(db)).scorecard);
        const env = {
          ...process.env,
          DATABASE_URL: URL_,
          KEEPWELL_DATABASE_SCHEMA: schema,
          KEEPWELL_DATA_DIR: join(dir, ".keepwell"),
          KEEPWELL_SCORECARD: scorecardFile,
        };
        const run = () =>
          new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
            const child = spawn(process.execPath, ["bin/keepwell.js", "score", "--json"], { cwd: ROOT, env });
            let out = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => {
              out += d.toString();
            });
            child.stderr.on("data", (d: Buffer) => {
              err += d.toString();
            });
            child.on("exit", (code) => resolve({ code, out, err }));
          });
        const results = await Promise.all([run(), run()]);
        expect(results.map((r) => ({ code: r.code, err: r.err.trim() }))).toEqual([
          { code: 0, err: "" },
          { code: 0, err: "" },
        ]);
        for (const r of results) expect(JSON.parse(r.out).accounts).toBe(ACCOUNTS);
        const [row] = await db.query<{ n: number }>(
          "SELECT count(DISTINCT account)::int AS n FROM current_scores",
        );
        expect(row?.n).toBe(ACCOUNTS);
      },
      SLOW,
    );
  }
});
