import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/api/index.js";
import { allows, type Principal, ROLES, SCOPES } from "../src/auth/index.js";
import type { Db } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";
import { addUser, call, keyWith, sessionHeaders } from "./helpers/team.js";

/**
 * Nobody else gets in: every route the server registers (the guard's own list,
 * which is what Fastify registered, checked against the OpenAPI document)
 * answers 401 without credentials unless it is public, and for every role and
 * every key scope the route's permission decides: allowed → neither 401 nor
 * 403 (nor a 500), denied → 403.
 */
describe(`every route is guarded (${storeName})`, () => {
  let db: Db;
  let app: FastifyInstance;
  let routes: FastifyInstance["guardedRoutes"];
  beforeAll(async () => {
    db = await testDb();
    app = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
    await app.ready();
    routes = app.guardedRoutes.filter((r) => r.method !== "HEAD");
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it("lists every route of the OpenAPI document, and more than 45 in all", async () => {
    const doc = (
      await app.inject({
        url: "/docs/json",
        headers: { authorization: `Bearer ${await keyWith(db, ["read"])}` },
      })
    ).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`),
    );
    const registered = new Set(routes.map((r) => `${r.method} ${r.url}`));
    for (const d of documented) expect(registered, d).toContain(d);
    expect(routes.length).toBeGreaterThan(45);
  });

  it("answers 401 without credentials on every route but the public ones", async () => {
    const open: string[] = [];
    for (const r of routes) {
      const status = await call(app, r.method, r.url);
      if (r.access === "public") expect(status, `${r.method} ${r.url}`).not.toBe(401);
      else expect(status, `${r.method} ${r.url}`).toBe(401);
      if (status !== 401) open.push(`${r.method} ${r.url}`);
    }
    expect(open.sort()).toEqual(
      routes
        .filter((r) => r.access === "public")
        .map((r) => `${r.method} ${r.url}`)
        .sort(),
    );
    // …and a wrong key or a forged cookie is no better than none.
    expect(await call(app, "GET", "/api/v1/accounts", { authorization: "Bearer kw_forged" })).toBe(401);
    expect(await call(app, "GET", "/api/v1/accounts", { cookie: "kw_session=forged" })).toBe(401);
  });

  it("lets each role and each key scope do exactly what the permission table says", async () => {
    const guarded = routes.filter((r) => r.access !== "public");
    let pairs = 0;
    const who: { label: string; principal: Principal; headers: () => Promise<Record<string, string>> }[] = [];
    for (const role of ROLES) {
      const user = await addUser(db, role);
      who.push({
        label: role,
        principal: { kind: "user", user, session: { tokenHash: "", csrfHash: "" } },
        headers: () => sessionHeaders(db, user),
      });
    }
    for (const scope of SCOPES) {
      const key = await keyWith(db, [scope]);
      const principal: Principal = {
        kind: "key",
        key: {
          id: "k",
          name: scope,
          prefix: "",
          scopes: [scope],
          created_by: null,
          created_at: "",
          expires_at: null,
          last_used_at: null,
          revoked_at: null,
        },
      };
      who.push({
        label: `key:${scope}`,
        principal,
        headers: async () => ({ authorization: `Bearer ${key}` }),
      });
    }
    for (const w of who) {
      for (const r of guarded) {
        const status = await call(app, r.method, r.url, await w.headers());
        const where = `${w.label} ${r.method} ${r.url} → ${status}`;
        if (allows(w.principal, r.access as Parameters<typeof allows>[1])) {
          expect([401, 403], where).not.toContain(status);
          expect(status, where).toBeLessThan(500);
        } else expect(status, where).toBe(403);
        pairs++;
      }
    }
    expect(pairs).toBe(guarded.length * (ROLES.length + SCOPES.length));
    console.info(
      `route guard: ${routes.length} routes (${guarded.length} guarded), ${pairs} principal × route pairs`,
    );
  });

  it("refuses to start with a route the permission table does not name", async () => {
    const other = await buildServer({ db, config: { bodyLimit: 1 << 20, logLevel: "silent" } });
    expect(() => other.get("/api/v1/unlisted", async () => "open")).toThrow(/no entry in ROUTE_ACCESS/);
    await other.close();
  });
});
