import { connect } from "node:net";
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { SAMPLE } from "./helpers/fixtures.js";
import { adminKey, authedServer, snapshot } from "./helpers/server.js";

/** What the server logs, line by line. */
function logSink(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe(`the server's edge (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  const log = logSink();

  beforeAll(async () => {
    db = await testDb();
    app = await authedServer({
      db,
      config: { bodyLimit: 40 << 20, logLevel: "info", requestTimeoutMs: 800 },
      logStream: log.stream,
    });
    for (const e of ["accounts", "tickets"] as const)
      expect((await app.inject({ method: "POST", url: `/api/v1/${e}`, payload: SAMPLE[e] })).statusCode).toBe(
        200,
      );
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("answers a NUL in any query or path parameter with a 400 naming it, never a 500", async () => {
    for (const url of [
      "/api/v1/accounts?q=%00",
      "/api/v1/accounts?segment=a%00b",
      "/api/v1/accounts/%00",
      "/api/v1/accounts/acc%001/score",
      "/api/v1/tickets?account=%00",
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(400);
      const field = url.includes("?") ? url.split("?")[1]!.split("=")[0] : "id";
      expect(res.json().error.details[0], url).toMatchObject({ field, message: /NUL/ });
    }
  });

  it("never serves a file outside the dashboard, and does not log an error for trying", async () => {
    const before = log.lines.length;
    for (const url of [
      "/assets/../../package.json",
      "/assets/%2e%2e/%2e%2e/package.json",
      "/..%2f..%2fpackage.json",
    ]) {
      const res = await app.inject({ url });
      expect([403, 404], url).toContain(res.statusCode);
      expect(res.body).not.toMatch(/"name":\s*"keepwell"/);
    }
    expect(log.lines.slice(before).filter((l) => /"level":50/.test(l))).toEqual([]);
  });

  it("takes POST /scoring/runs without a body, and names a bad as_of", async () => {
    expect((await app.inject({ method: "POST", url: "/api/v1/scoring/runs" })).statusCode).toBe(200);
    const empty = await app.inject({
      method: "POST",
      url: "/api/v1/scoring/runs",
      headers: { "content-type": "application/json" },
      payload: "",
    });
    expect(empty.statusCode).toBe(200);
    const far = await app.inject({
      method: "POST",
      url: "/api/v1/scoring/runs",
      payload: { as_of: "0000-01-01" },
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.details[0].field).toBe("as_of");
  });

  it('says what is wrong with a "__proto__" key instead of "malformed JSON"', async () => {
    const put = await app.inject({
      method: "PUT",
      url: "/api/v1/scorecard",
      headers: { "content-type": "application/json" },
      payload: '{"categories": [{"__proto__": {"weight": 1}}]}',
    });
    expect(put.statusCode).toBe(400);
    expect(put.json().error.message).toMatch(/"__proto__" key at categories\.0\.__proto__/);
    const post = await app.inject({
      method: "POST",
      url: "/api/v1/accounts",
      headers: { "content-type": "application/json" },
      payload: '[{"id": "acc_9", "name": "Nine", "__proto__": {"x": 1}}]',
    });
    expect(post.statusCode).toBe(400);
    expect(post.json().error.details).toContainEqual({
      record: 0,
      field: "__proto__",
      message: "unknown field",
    });
  });

  it("keeps an error small when the input echoes huge values (30 unknown 1 MB account ids)", async () => {
    const before = await snapshot(db);
    const huge = Array.from({ length: 30 }, (_, i) => ({
      id: `t_huge_${i}`,
      account: `${String(i).padStart(3, "0")}${"x".repeat(1 << 20)}`,
      opened_at: "2025-07-01T00:00:00Z",
      status: "open",
    }));
    const res = await app.inject({ method: "POST", url: "/api/v1/tickets", payload: huge });
    expect(res.statusCode).toBe(400);
    expect(res.body.length).toBeLessThan(64 * 1024);
    expect(res.json().error.details[0]).toMatchObject({ record: 0, field: "account" });
    expect(await snapshot(db)).toEqual(before);
  });

  it("cuts off a client that sends its body too slowly (408), and keeps serving others", async () => {
    const port = await app
      .listen({ port: 0, host: "127.0.0.1" })
      .then(() => (app.server.address() as { port: number }).port);
    const key = await adminKey(db);
    const started = performance.now();
    const answer = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          `POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[`,
        );
        const drip = setInterval(() => socket.write(" "), 100);
        let got = "";
        socket.on("data", (d) => {
          got += String(d);
        });
        socket.on("close", () => {
          clearInterval(drip);
          resolve(got);
        });
        socket.on("error", () => undefined);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it("logs a failed statement by its code, not the customer's values", async () => {
    // A real PostgreSQL error whose message carries a customer's value.
    await db.exec(`CREATE FUNCTION kw_test_boom() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused subject %', NEW.subject; END $$;
      CREATE TRIGGER kw_test_boom BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION kw_test_boom()`);
    const before = log.lines.length;
    try {
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/tickets",
        payload: [
          {
            id: "t_secret",
            account: "acc_1",
            opened_at: "2025-07-01T00:00:00Z",
            status: "open",
            subject: "Acme secret plan",
          },
        ],
      });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toMatch(/secret/);
    } finally {
      await db.exec("DROP TRIGGER kw_test_boom ON tickets; DROP FUNCTION kw_test_boom()");
    }
    const errors = log.lines.slice(before).filter((l) => /"level":50/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/"code":"P0001"/);
    expect(errors[0]).not.toMatch(/secret|Acme/);
    expect(errors[0]).not.toMatch(/\/work\/|\/home\/|\/tmp\//);
  });
});
