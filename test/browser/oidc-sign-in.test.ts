import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, type User } from "../../src/auth/index.js";
import type { Db } from "../../src/store/index.js";
import type { Issuer } from "../helpers/oidc-issuer.js";
import { ensureWebBuilt, launchBrowser, screenshot, simulatedCompany, watchedPage } from "./harness.js";
import { signInAtIssuer, startSsoServer } from "./oidc-harness.js";

describe("single sign-on in Chromium, against a real OpenID Connect provider", () => {
  let db: Db;
  let base: string;
  let issuer: Issuer;
  let closeServer: () => Promise<void>;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let alice: User;

  beforeAll(async () => {
    const [, company] = await Promise.all([ensureWebBuilt(), simulatedCompany(30, 6)]);
    db = company;
    const system = { type: "system" as const, id: null, label: "browser tests" };
    alice = await createUser(db, { email: "alice@example.com", name: "Alice", role: "csm" }, system);
    ({ url: base, issuer, close: closeServer } = await startSsoServer(db));
    ({ context, close: closeBrowser } = await launchBrowser());
  });
  afterAll(async () => {
    await closeBrowser?.();
    await closeServer?.();
    await db?.close();
  });

  /** The API's answer to the browser's own cookies: who is signed in. */
  const sessionOf = (page: Page) =>
    page.evaluate(async () => {
      const res = await fetch("/api/v1/session");
      return { status: res.status, body: (await res.json()) as { user?: { id: string; email: string } } };
    });

  it("goes to the provider, signs in there and lands on the dashboard signed in", async () => {
    const { page, errors } = await watchedPage(context);
    await page.goto(`${base}/auth/oidc/login`);
    expect(new URL(page.url()).origin, "at the provider's login page").toBe(issuer.issuer);
    await signInAtIssuer(page, "alice");
    await page.waitForURL(`${base}/`);
    await page.getByTestId("band-tiles").waitFor();
    await page.getByTestId("user-name").filter({ hasText: "Alice" }).waitFor();
    const session = await sessionOf(page);
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ id: alice.id, email: "alice@example.com" });
    const cookies = Object.fromEntries((await context.cookies(base)).map((c) => [c.name, c]));
    expect(cookies.kw_session?.httpOnly).toBe(true);
    expect(cookies.kw_csrf?.httpOnly).toBe(false);
    await screenshot(page, "oidc-signed-in");
    expect(errors, "console errors").toEqual([]);
    await page.close();
  });

  it("sends a person Keepwell does not know back to the sign-in page, which says why", async () => {
    await context.clearCookies();
    const { page } = await watchedPage(context);
    await page.goto(`${base}/auth/oidc/login`);
    await signInAtIssuer(page, "stranger");
    await page.waitForURL((u) => u.pathname === "/signin");
    expect(new URL(page.url()).searchParams.get("error")).toMatch(/ask an admin to add you/);
    await page.getByText(/no Keepwell user with your email address: ask an admin to add you/).waitFor();
    expect((await sessionOf(page)).status).toBe(401);
    await screenshot(page, "oidc-refused");
    await page.close();
  });
});
