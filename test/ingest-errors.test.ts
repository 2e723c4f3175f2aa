import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { SAMPLE } from "./helpers/fixtures.js";
import { snapshot, testServer } from "./helpers/server.js";

const ticket = (over: Record<string, unknown> = {}) => ({
  id: "t_new",
  account: "acc_1",
  opened_at: "2025-07-01T00:00:00Z",
  status: "open",
  ...over,
});

describe(`ingest rejects bad input and writes nothing (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    db = await testDb();
    app = await testServer(db, 4096);
    for (const e of ["accounts", "tickets"] as const) {
      await app.inject({ method: "POST", url: `/api/v1/${e}`, payload: SAMPLE[e] });
    }
    before = await snapshot(db);
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });
  beforeEach(async () => {
    expect(await snapshot(db)).toEqual(before);
  });

  async function post(url: string, payload: string | object, contentType = "application/json") {
    const res = await app.inject({
      method: "POST",
      url,
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
      headers: { "content-type": contentType },
    });
    expect(await snapshot(db)).toEqual(before);
    return {
      status: res.statusCode,
      body: res.json() as { error: { code: string; message: string; details: unknown[]; total?: number } },
    };
  }

  // Every case mixes one bad record into good ones: the good ones must not be written either.
  const cases: [string, Record<string, unknown>, { field: string; message: RegExp }][] = [
    ["a missing required field", ticket({ status: undefined }), { field: "status", message: /is required/ }],
    ["a wrong type", ticket({ csat: "five" }), { field: "csat", message: /expected a number/ }],
    ["an unparseable date", ticket({ opened_at: "31/12/2025" }), { field: "opened_at", message: /ISO 8601/ }],
    [
      "an impossible date",
      ticket({ opened_at: "2025-02-30T00:00:00Z" }),
      { field: "opened_at", message: /ISO 8601/ },
    ],
    [
      "a value out of its enum",
      ticket({ priority: "asap" }),
      { field: "priority", message: /one of low, normal, high, urgent/ },
    ],
    ["an unknown field", ticket({ colour: "red" }), { field: "colour", message: /unknown field/ }],
    [
      "an unknown account",
      ticket({ account: "acc_404" }),
      { field: "account", message: /unknown account "acc_404"/ },
    ],
  ];
  for (const [name, bad, expected] of cases) {
    it(`${name}: 400 naming the record and field`, async () => {
      const good = ticket({ id: "t_good" });
      const { status, body } = await post("/api/v1/tickets", [good, bad]);
      expect(status).toBe(400);
      expect(body.error.code).toBe("validation_failed");
      expect(body.error.details).toContainEqual({
        record: 1,
        field: expected.field,
        message: expect.stringMatching(expected.message),
      });
    });
  }

  it("names the unknown account ids in the message", async () => {
    const { body } = await post("/api/v1/tickets", [
      ticket({ account: "acc_x" }),
      ticket({ id: "t2", account: "acc_y" }),
    ]);
    expect(body.error.message).toMatch(/"acc_x", "acc_y"/);
  });

  it("two records with the same id in one batch", async () => {
    const { status, body } = await post("/api/v1/tickets", [ticket(), ticket({ status: "solved" })]);
    expect(status).toBe(400);
    expect(body.error.details).toContainEqual({
      record: 1,
      field: "id",
      message: "duplicate of record 0 in the same input",
    });
  });

  it("a malformed NDJSON line, with its line number", async () => {
    const text = `${JSON.stringify(ticket())}\n\n{"id": "t_2", oops}\n`;
    const { status, body } = await post("/api/v1/tickets", text, "application/x-ndjson");
    expect(status).toBe(400);
    expect(body.error.details).toEqual([
      { record: 1, line: 3, field: "", message: expect.stringMatching(/^malformed JSON/) },
    ]);
  });

  it("a malformed CSV line, with its line number", async () => {
    const text =
      'id,account,opened_at,status\nt_1,acc_1,2025-07-01T00:00:00Z,open\nt_2,"acc_1,2025-07-01,open\n';
    const { status, body } = await post("/api/v1/tickets", text, "text/csv");
    expect(status).toBe(400);
    expect(body.error.details).toContainEqual(
      expect.objectContaining({ field: "", message: expect.stringMatching(/^malformed CSV/) }),
    );
  });

  it("an empty body or an empty list", async () => {
    for (const [payload, type] of [
      ["", "application/json"],
      ["[]", "application/json"],
      ["", "application/x-ndjson"],
      ["\n\n", "application/x-ndjson"],
    ] as const) {
      const { status, body } = await post("/api/v1/tickets", payload, type);
      expect(status, `${type} ${JSON.stringify(payload)}`).toBe(400);
      expect(body.error.message).toMatch(/empty/);
    }
  });

  it("an unknown entity is a 404 that lists the known ones", async () => {
    const { status, body } = await post("/api/v1/widgets", [ticket()]);
    expect(status).toBe(404);
    expect(body.error.code).toBe("unknown_entity");
    expect(body.error.message).toMatch(/tickets/);
  });

  it("a body over the size limit is a 413", async () => {
    const many = Array.from({ length: 100 }, (_, i) => ticket({ id: `t_${i}`, body: "x".repeat(100) }));
    const { status, body } = await post("/api/v1/tickets", many);
    expect(status).toBe(413);
    expect(body.error.code).toBe("payload_too_large");
  });

  it("a wrong content type is a 415", async () => {
    const { status, body } = await post("/api/v1/tickets", "id=t_1", "application/x-www-form-urlencoded");
    expect(status).toBe(415);
    expect(body.error.code).toBe("unsupported_media_type");
    const plain = await post("/api/v1/tickets", JSON.stringify([ticket()]), "text/plain");
    expect(plain.status).toBe(415);
  });

  it("reports the first 100 problems and the total", async () => {
    const bad = Array.from({ length: 40 }, (_, i) =>
      ticket({ id: `t_${i}`, opened_at: "never", status: "lost", csat: 9 }),
    );
    const big = await testServer(db);
    try {
      const res = await big.inject({ method: "POST", url: "/api/v1/tickets", payload: bad });
      const body = res.json();
      expect(res.statusCode).toBe(400);
      expect(body.error.details).toHaveLength(100);
      expect(body.error.total).toBe(120);
      expect(body.error.message).toMatch(/^120 problems .*first 100/);
    } finally {
      await big.close();
    }
  });

  it("a body that is not a list of records", async () => {
    const { status, body } = await post("/api/v1/tickets", { ticket: ticket() });
    expect(status).toBe(400);
    expect(body.error.details[0]).toMatchObject({ record: 0, message: expect.stringMatching(/JSON array/) });
    const notObject = await post("/api/v1/tickets", [42]);
    expect(notObject.body.error.details[0]).toMatchObject({ record: 0, message: "expected a JSON object" });
  });

  it("a bad query parameter names the parameter", async () => {
    const res = await app.inject({ method: "GET", url: "/api/v1/accounts?limit=0" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe("limit");
  });

  it("a 500 never shows a stack", async () => {
    // A real failure: a store whose accounts table is gone.
    const broken = await testDb();
    const brokenApp = await testServer(broken);
    try {
      await broken.exec("DROP TABLE accounts CASCADE");
      const res = await brokenApp.inject({ method: "GET", url: "/api/v1/accounts" });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: { code: "internal", message: "internal error", details: [] } });
    } finally {
      await brokenApp.close();
      await broken.close();
    }
  });
});
