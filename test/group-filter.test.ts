import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activeScorecard, runScoring } from "../src/scoring/index.js";
import { type Db, NO_GROUP } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { testServer } from "./helpers/server.js";

/** Accounts with no segment or owner are listed as a group, and that group can be opened. */
describe(`the "(none)" segment and owner (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  const accounts = [
    { id: "g_1", name: "Segmented", segment: "smb", owner: "Ann", arr: 1000 },
    { id: "g_2", name: "Unsegmented", arr: 2000 },
    { id: "g_3", name: "Also unsegmented", owner: "Ann", arr: 3000 },
  ];

  beforeAll(async () => {
    db = await testDb();
    app = await testServer(db);
    const res = await app.inject({ method: "POST", url: "/api/v1/accounts", payload: accounts });
    expect(res.statusCode, res.body).toBeLessThan(300);
    await runScoring(db, {
      asOf: new Date().toISOString(),
      scorecard: await activeScorecard(db),
      target: "current",
    });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const ids = async (url: string) => {
    const res = await app.inject({ method: "GET", url });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().data as { id: string }[]).map((a) => a.id).sort();
  };

  it("the portfolio lists the group, and filtering the accounts by its name finds its members", async () => {
    const portfolio = (await app.inject({ method: "GET", url: "/api/v1/portfolio" })).json();
    const none = portfolio.segments.find((s: { segment: string }) => s.segment === NO_GROUP);
    expect(none).toMatchObject({ accounts: 2, arr: 5000 });
    const owners = portfolio.owners.find((o: { owner: string }) => o.owner === NO_GROUP);
    expect(owners).toMatchObject({ accounts: 1, arr: 2000 });
    const segment = encodeURIComponent(NO_GROUP);
    expect(await ids(`/api/v1/accounts?segment=${segment}`)).toEqual(["g_2", "g_3"]);
    expect(await ids(`/api/v1/accounts?owner=${segment}`)).toEqual(["g_2"]);
    expect(await ids(`/api/v1/accounts?segment=${segment}&owner=Ann`)).toEqual(["g_3"]);
    expect(await ids("/api/v1/accounts?segment=smb")).toEqual(["g_1"]);
  });

  it("the score histogram counts the same accounts for that group", async () => {
    const res = await app.inject({
      method: "GET",
      url: `/api/v1/insights/score-histogram?segment=${encodeURIComponent(NO_GROUP)}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { buckets: { accounts: number }[]; unscored: number };
    expect(body.buckets.reduce((s, b) => s + b.accounts, 0) + body.unscored).toBe(2);
  });
});
