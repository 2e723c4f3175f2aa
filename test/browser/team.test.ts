import type { FastifyInstance } from "fastify";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { audit, createLink, teamOf, type User } from "../../src/auth/index.js";
import { type Db, migrate, openPglite } from "../../src/store/index.js";
import {
  addUser,
  adminKey,
  ensureWebBuilt,
  FAILED_WITH,
  launchBrowser,
  PASSWORD,
  screenshot,
  signIn,
  simulatedCompany,
  startServer,
  unexpected,
  watchedPage,
} from "./harness.js";

interface Row {
  id: string;
  name: string;
  owner: string | null;
  owner_user: { id: string; name: string; email: string } | null;
}
interface Owner {
  owner: string;
  accounts: number;
  user: { id: string; name: string } | null;
  by: string | null;
}

const ADMIN = { email: "admin@keepwell.test", name: "Ada Admin", role: "admin" as const };
const LEADER = { email: "lee@keepwell.test", name: "Lee Leader", role: "leader" as const };
// An owner in the simulated data is a CSM's name: this user's accounts are those the data gives "Maya Chen".
const CSM = {
  email: "maya@keepwell.test",
  name: "Maya Chen",
  role: "csm" as const,
  manager: "lee@keepwell.test",
};
// Nobody in the data is called this: the owner an admin maps to her is unresolved until then.
const JO = { email: "jo@keepwell.test", name: "Jo Bloggs", role: "csm" as const };
const LOCKED = { email: "locked@keepwell.test", name: "Lou Locked", role: "viewer" as const };

const ids = (page: Page) =>
  page.getByTestId("account-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")));
const notBusy = async (page: Page) =>
  expect.poll(async () => page.locator("[aria-busy=true], .state-loading").count()).toBe(0);

describe("the team in the dashboard", () => {
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let key: string;
  let users: Record<"admin" | "leader" | "csm" | "jo" | "locked", User>;
  let page: Page;
  let errors: string[];
  let csp: string[];
  /** Console errors the current test provokes on purpose (a 403 it asks for, say). */
  let expected: RegExp[];

  const get = async <T>(path: string): Promise<T> =>
    (await app.inject({ method: "GET", url: path, headers: { authorization: `Bearer ${key}` } })).json() as T;
  const activeAccounts = async () =>
    (await get<{ data: Row[] }>("/api/v1/accounts?status=active&sort=id&limit=1000")).data;

  beforeAll(async () => {
    const [, company] = await Promise.all([ensureWebBuilt(), simulatedCompany(40, 6)]);
    db = company;
    const admin = await addUser(db, ADMIN);
    const leader = await addUser(db, LEADER);
    const csm = await addUser(db, CSM);
    const jo = await addUser(db, JO);
    const locked = await addUser(db, LOCKED);
    users = { admin, leader, csm, jo, locked };
    key = await adminKey(db);
    ({ app, url: base } = await startServer(db));
    ({ context, close: closeBrowser } = await launchBrowser());
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  });
  afterAll(async () => {
    await closeBrowser?.();
    await app?.close();
    await db?.close();
  });
  afterEach(async () => {
    await page?.close();
    expect(unexpected(errors, ...expected), "console errors").toEqual([]);
    expect(csp, "Content-Security-Policy violations").toEqual([]);
  });
  /** A new page; signed in as `who` (through the sign-in page, which then leads to `path`), or not. */
  const open = async (who: { email: string; name: string } | null, path = "/", allow: RegExp[] = []) => {
    ({ page, errors, csp } = await watchedPage(context));
    expected = allow;
    await context.clearCookies();
    if (who) await signIn(page, base, who, path);
    else await page.goto(`${base}${path}`);
  };

  it("watches for Content-Security-Policy violations (so a clean run means something)", async () => {
    await open(null, "/signin", [/Content Security Policy/]);
    await page.getByTestId("sign-in").waitFor();
    // What the policy forbids: a style attribute set from a script (React's style props use the CSSOM instead).
    await page.evaluate("document.body.setAttribute('style', 'color: red')");
    // Both ways of hearing of it: the page's event, and Chromium's console line.
    await expect.poll(() => csp.filter((v) => v.startsWith("event: style-src")).length).toBe(1);
    await expect.poll(() => csp.filter((v) => v.startsWith("console: ")).length).toBe(1);
    csp.length = 0;
  });

  it("shows a CSM exactly their own accounts under My accounts, with their name as the owner", async () => {
    const mine = (await activeAccounts()).filter((a) => a.owner_user?.id === users.csm.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(50);
    expect(new Set(mine.map((a) => a.owner))).toEqual(new Set([CSM.name]));

    await open(CSM);
    expect(await page.getByTestId("user-role").textContent()).toBe("CSM");
    await page.getByTestId("account-row").first().waitFor();
    expect(await page.getByTestId("book-all").getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByTestId("book-team").count()).toBe(0);
    await page.getByTestId("book-mine").click();
    await page.waitForURL(/book=mine/);
    await notBusy(page);
    expect(new Set(await ids(page))).toEqual(new Set(mine.map((a) => a.id)));
    expect(await page.getByTestId("account-row").count()).toBe(mine.length);
    expect(new Set(await page.getByTestId("account-row").locator(".owner").allTextContents())).toEqual(
      new Set([CSM.name]),
    );
    expect(await page.getByRole("heading", { name: "My accounts" }).count()).toBe(1);
    await screenshot(page, "csm-my-accounts");

    // The filter is in the URL: a reload keeps it.
    await page.reload();
    await page.getByTestId("account-row").first().waitFor();
    await notBusy(page);
    expect(await page.getByTestId("book-mine").getAttribute("aria-pressed")).toBe("true");
    expect(new Set(await ids(page))).toEqual(new Set(mine.map((a) => a.id)));

    // The account page names the owner's user.
    await page.getByTestId("account-row").first().locator(".account-link").click();
    await page.getByTestId("band-reason").waitFor();
    expect(await page.locator(".account-head").textContent()).toContain(`CSM ${CSM.name}`);
  });

  it("refuses a CSM the admin pages: the page says so, the API answered 403, the scorecard is read-only", async () => {
    await open(CSM, "/", [FAILED_WITH(403)]);
    const nav = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    expect(nav).toEqual([
      "My work",
      "Portfolio",
      "Signals",
      "Segments",
      "Scorecard",
      "Playbooks",
      "Churn model",
      "Users",
    ]);

    const keys = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/api-keys");
    await page.goto(`${base}/api-keys`);
    expect((await keys).status()).toBe(403);
    await page.getByTestId("forbidden").waitFor();
    expect(await page.getByTestId("forbidden").textContent()).toMatch(/don't have permission.*you are csm/);
    expect(await page.getByTestId("key-form").count()).toBe(0);
    await screenshot(page, "csm-api-keys-refused");

    const log = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/audit");
    await page.goto(`${base}/audit`);
    expect((await log).status()).toBe(403);
    await page.getByTestId("forbidden").waitFor();

    // The team, read-only: no invitation, no changes, no owner mapping.
    await page.goto(`${base}/users`);
    await page.getByTestId("user-row").first().waitFor();
    await page.getByTestId("owner-row").first().waitFor();
    expect(await page.getByTestId("users-mode").textContent()).toMatch(/Only admins can change it/);
    expect(await page.getByTestId("invite-form").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Change" }).count()).toBe(0);
    expect(await page.getByTestId("owner-pick").count()).toBe(0);
    // …and the API refuses the change the page does not offer.
    const csrf = (await context.cookies()).find((c) => c.name === "kw_csrf")?.value;
    const refused = await context.request.post(`${base}/api/v1/users`, {
      data: { email: "x@keepwell.test", name: "X", role: "admin" },
      headers: { "x-csrf-token": String(csrf) },
    });
    expect(refused.status()).toBe(403);

    // The scorecard: shown, not editable, no save and no rescore.
    await page.goto(`${base}/scorecard`);
    await page.getByTestId("scorecard-read-only").waitFor();
    await page.getByTestId("read-only").waitFor();
    expect(await page.getByTestId("save-scorecard").count()).toBe(0);
    expect(await page.getByTestId("rescore").count()).toBe(0);
    expect(await page.locator('[data-path="categories[1].weight"]').isDisabled()).toBe(true);
    await screenshot(page, "csm-scorecard-read-only");
  });

  it("starts a leader on their team's accounts, and shows them the audit log but not API keys", async () => {
    const team = new Set([users.leader.id, ...(await teamOf(db, users.leader.id))]);
    expect(team.has(users.csm.id)).toBe(true);
    const theirs = (await activeAccounts()).filter((a) => a.owner_user && team.has(a.owner_user.id));
    expect(theirs.length).toBeGreaterThan(0);

    await open(LEADER);
    await page.getByTestId("account-row").first().waitFor();
    await notBusy(page);
    expect(new URL(page.url()).searchParams.has("book")).toBe(false);
    expect(await page.getByTestId("book-team").getAttribute("aria-pressed")).toBe("true");
    expect(new Set(await ids(page))).toEqual(new Set(theirs.map((a) => a.id)));
    await screenshot(page, "leader-my-team");

    await page.getByTestId("book-all").click();
    await page.waitForURL(/book=all/);
    await notBusy(page);
    expect(await page.getByTestId("account-row").count()).toBe(Math.min(50, (await activeAccounts()).length));

    const nav = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    expect(nav).toContain("Audit log");
    expect(nav).not.toContain("API keys");
    await page.getByRole("link", { name: "Audit log" }).click();
    await page.getByTestId("audit-row").first().waitFor();
    expect(await page.getByTestId("forbidden").count()).toBe(0);
  });

  it("lets an admin invite someone, who sets their password from the one-time link (once) and is signed in", async () => {
    await open(ADMIN, "/users", [FAILED_WITH(409)]);
    await page.getByTestId("invite-form").waitFor();
    // Errors at the field: a taken email.
    const form = page.getByTestId("invite-form");
    await form.getByLabel("Email").fill(CSM.email);
    await form.getByLabel("Name").fill("Someone Else");
    await page.getByTestId("invite").click();
    await form.locator(".form-field.invalid .field-error").waitFor();
    expect(await form.locator(".form-field.invalid .field-error").textContent()).toMatch(/exists already/);

    await form.getByLabel("Email").fill("nina@keepwell.test");
    await form.getByLabel("Name").fill("Nina Novak");
    await form.getByLabel("Role").selectOption("csm");
    await form.getByLabel("Manager").selectOption({ label: `${LEADER.name} (Leader)` });
    await page.getByTestId("invite").click();
    await page.getByTestId("invite-notice").waitFor();
    const link = await page.getByTestId("invite-link").inputValue();
    expect(link).toMatch(/\/reset\?token=[\w-]+$/);
    const row = page.locator('[data-testid="user-row"][data-email="nina@keepwell.test"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(LEADER.name);
    await page.getByTestId("invite-link-copy").click();
    await page.getByTestId("invite-link-copy").filter({ hasText: "Copied" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(link);
    await screenshot(page, "users-invited");

    // The invitation, opened by the person it is for (signed out).
    await context.clearCookies();
    const token = new URL(link).searchParams.get("token")!;
    await page.goto(`${base}/reset?token=${token}`);
    await page.getByTestId("reset-for").waitFor();
    expect(await page.getByTestId("reset-for").textContent()).toContain("Nina Novak (nina@keepwell.test)");
    await page.getByLabel("Password", { exact: true }).fill("too short");
    await page.getByLabel("Password again").fill("too short");
    await page.getByTestId("set-password").click();
    expect(await page.locator(".form-field.invalid .field-error").first().textContent()).toMatch(
      /at least 10 characters/,
    );
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Password again").fill(PASSWORD);
    await page.getByTestId("set-password").click();
    await page.getByTestId("user-name").filter({ hasText: "Nina Novak" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");

    // Once only.
    await page.goto(`${base}/reset?token=${token}`);
    await page.getByTestId("link-invalid").waitFor();
    expect(await page.getByTestId("link-invalid").textContent()).toMatch(/used or has expired/);
    await screenshot(page, "reset-link-used");
  });

  it("lets an admin change a user's role and manager, deactivate and reactivate them, and make a reset link", async () => {
    await open(ADMIN, "/users");
    // The rest in a second tab of the same session: its changes carry the CSRF token from the cookie.
    expect(unexpected(errors, ...expected)).toEqual([]);
    expect(csp).toEqual([]);
    await page.close();
    ({ page, errors, csp } = await watchedPage(context));
    await page.goto(`${base}/users`);
    const row = page.locator('[data-testid="user-row"][data-email="jo@keepwell.test"]');
    await row.waitFor();
    await row.getByRole("button", { name: "Change" }).click();
    await page.getByTestId("edit-role").selectOption("viewer");
    await page.getByTestId("edit-manager").selectOption({ label: `${LEADER.name} (Leader)` });
    await page.getByTestId("save-user").click();
    await expect.poll(async () => row.getByTestId("user-role-cell").textContent()).toBe("Viewer");
    expect(await row.textContent()).toContain(LEADER.name);

    await row.getByTestId("deactivate").click();
    await expect.poll(async () => row.getAttribute("data-active")).toBe("false");
    expect(await row.textContent()).toContain("deactivated");
    await row.getByTestId("reactivate").click();
    await expect.poll(async () => row.getAttribute("data-active")).toBe("true");

    await row.getByTestId("make-reset-link").click();
    await page.getByTestId("reset-notice").waitFor();
    expect(await page.getByTestId("reset-link").inputValue()).toMatch(/\/reset\?token=/);
    // Back as it was, for the tests after this one.
    await row.getByRole("button", { name: "Change" }).click();
    await page.getByTestId("edit-role").selectOption("csm");
    await page.getByTestId("edit-manager").selectOption("");
    await page.getByTestId("save-user").click();
    await expect.poll(async () => row.getByTestId("user-role-cell").textContent()).toBe("CSM");
  });

  it("lets an admin create an API key, shown once, that works until it is revoked", async () => {
    await open(ADMIN, "/api-keys");
    await page.getByTestId("key-form").waitFor();
    // Errors at the field.
    await page.getByTestId("scope-read").uncheck();
    await page.getByTestId("create-key").click();
    await page.locator(".form-field.invalid .field-error").first().waitFor();
    expect(await page.locator(".form-field.invalid .field-error").allTextContents()).toEqual([
      "Name the key after what will use it.",
      "Choose at least one scope.",
    ]);
    await page.getByTestId("key-form").getByLabel("Name").fill("CRM sync");
    await page.getByTestId("scope-read").check();
    await page.getByTestId("scope-ingest").check();
    await page.getByTestId("key-form").getByLabel("Expires").selectOption("90");
    await page.getByTestId("create-key").click();
    await page.getByTestId("new-key-notice").waitFor();
    const made = await page.getByTestId("new-key").inputValue();
    expect(made).toMatch(/^kw_/);
    expect(await page.getByTestId("new-key-notice").textContent()).toMatch(/will not be shown again/);
    await page.getByTestId("new-key-copy").click();
    await page.getByTestId("new-key-copy").filter({ hasText: "Copied" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(made);
    const row = page.locator('[data-testid="key-row"][data-name="CRM sync"]');
    await row.waitFor();
    expect(await row.textContent()).toContain(made.slice(0, 10));
    expect(await row.textContent()).toMatch(/read.*ingest/);
    await screenshot(page, "api-key-created");

    const withKey = (k: string) =>
      fetch(`${base}/api/v1/accounts?limit=1`, { headers: { authorization: `Bearer ${k}` } });
    expect((await withKey(made)).status).toBe(200);

    // Once: gone when dismissed, and not on the page after a reload.
    await page.getByTestId("new-key-done").click();
    expect(await page.getByTestId("new-key-notice").count()).toBe(0);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(made);

    await row.getByTestId("revoke").click();
    await row.getByTestId("revoke-confirm").click();
    await expect.poll(async () => row.getAttribute("data-state")).toBe("revoked");
    expect(await row.getByTestId("revoke").count()).toBe(0);
    expect((await withKey(made)).status).toBe(401);
    await screenshot(page, "api-key-revoked");
  });

  it("lets an admin map an unresolved owner to a user, and the owner's accounts follow", async () => {
    const before = (await get<{ data: Owner[] }>("/api/v1/owners")).data;
    const unresolved = before.filter((o) => o.user === null);
    expect(unresolved.length).toBeGreaterThan(0);
    const target = unresolved[0]!;

    await open(ADMIN, "/users");
    await page.getByTestId("owner-row").first().waitFor();
    // Unresolved first.
    const resolved = await page
      .getByTestId("owner-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-resolved")));
    expect(resolved).toEqual([...resolved].sort((a, b) => (a === b ? 0 : a === "no" ? -1 : 1)));
    expect(resolved.filter((r) => r === "no").length).toBe(unresolved.length);
    expect(await page.getByTestId("unresolved-count").textContent()).toBe(`${unresolved.length} unresolved`);

    const row = page.locator(`[data-testid="owner-row"][data-owner="${target.owner}"]`);
    await row.getByTestId("owner-pick").selectOption({ label: `${JO.name} (${JO.email})` });
    await row.getByTestId("owner-map").click();
    await expect.poll(async () => row.getAttribute("data-resolved")).toBe("yes");
    expect(await row.getByTestId("owner-user").textContent()).toContain(JO.name);
    expect(await row.textContent()).toContain("mapped by an admin");
    await screenshot(page, "users-owners-mapped");

    const theirs = (await activeAccounts()).filter((a) => a.owner === target.owner);
    expect(theirs.length).toBeGreaterThan(0);
    for (const a of theirs) expect(a.owner_user?.id).toBe(users.jo.id);
    // The portfolio names the user now, not the owner text.
    await page.goto(`${base}/?owner=${encodeURIComponent(target.owner)}`);
    await page.getByTestId("account-row").first().waitFor();
    await notBusy(page);
    expect(new Set(await page.getByTestId("account-row").locator(".owner").allTextContents())).toEqual(
      new Set([JO.name]),
    );
  });

  it("lists those actions in the audit log, newest first, with what changed, filtered by action and paged", async () => {
    await open(ADMIN, "/audit");
    await page.getByTestId("audit-row").first().waitFor();
    const actions = await page
      .getByTestId("audit-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    for (const a of [
      "user.created",
      "user.updated",
      "user.deactivated",
      "user.reset_link_created",
      "user.password_set",
      "key.created",
      "key.revoked",
      "owner.mapped",
      "session.signed_in",
    ])
      expect(actions, a).toContain(a);
    const order = (
      await page.getByTestId("audit-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")))
    ).map(Number);
    expect(order).toEqual([...order].sort((a, b) => b - a));

    // What changed, readably: the mapping names the user, a revocation its time, a new user their fields.
    const mapped = page.locator('[data-testid="audit-row"][data-action="owner.mapped"]').first();
    expect(await mapped.locator('[data-field="user_id"]').textContent()).toContain(JO.name);
    const revoked = page.locator('[data-testid="audit-row"][data-action="key.revoked"]').first();
    expect(await revoked.getByTestId("audit-diff").locator("tr").count()).toBe(1);
    expect(await revoked.locator('[data-field="revoked_at"] .before').textContent()).toBe("—");
    const created = page.locator('[data-testid="audit-row"][data-action="user.created"]').first();
    expect(await created.locator('[data-field="email"]').textContent()).toContain("nina@keepwell.test");
    await screenshot(page, "audit");

    await page.getByTestId("audit-action").selectOption("key");
    await page.waitForURL(/action=key/);
    await notBusy(page);
    const keyActions = await page
      .getByTestId("audit-row")
      .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
    expect(new Set(keyActions)).toEqual(new Set(["key.created", "key.revoked"]));

    // Paging: 60 more entries of one action make two pages of it.
    for (let i = 0; i < 60; i++)
      await audit(db, { type: "system", id: null, label: "browser tests" }, "scoring.run", {
        after: { run: i },
      });
    await page.getByTestId("audit-action").selectOption("scoring");
    await page.waitForURL(/action=scoring/);
    await notBusy(page);
    const first = (
      await page.getByTestId("audit-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")))
    ).map(Number);
    expect(first.length).toBe(50);
    await page.getByTestId("audit-older").click();
    await page.waitForURL(/cursor=/);
    await notBusy(page);
    const second = (
      await page.getByTestId("audit-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-id")))
    ).map(Number);
    expect(second.length).toBe(10);
    expect(Math.max(...second)).toBeLessThan(Math.min(...first));
    expect(await page.getByTestId("audit-older").isDisabled()).toBe(true);
    await page.getByRole("button", { name: "← Newer" }).click();
    await page.waitForURL((u) => !u.searchParams.has("cursor"));
    await notBusy(page);
    expect(await page.getByTestId("audit-row").count()).toBe(50);
  });

  it("signs out back to the sign-in page; the old session cookie is refused, and signing in returns to the page", async () => {
    await open(ADMIN, "/segments", [FAILED_WITH(401)]);
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === "kw_session");
    expect(cookie?.httpOnly).toBe(true);
    // The CSRF token is the one cookie scripts may read.
    expect(cookies.find((c) => c.name === "kw_csrf")?.httpOnly).toBe(false);
    await page.getByTestId("sign-out").click();
    await page.waitForURL((u) => u.pathname === "/signin");
    await page.getByTestId("sign-in").waitFor();
    expect(await page.getByTestId("whoami").count()).toBe(0);
    const old = await fetch(`${base}/api/v1/session`, { headers: { cookie: `kw_session=${cookie!.value}` } });
    expect(old.status).toBe(401);
    await screenshot(page, "signed-out");

    // Signed out, a page leads to the sign-in page, which leads back to it.
    await page.goto(`${base}/segments?x=1`);
    await page.waitForURL((u) => u.pathname === "/signin");
    expect(new URL(page.url()).searchParams.get("next")).toBe("/segments?x=1");
    await page.getByLabel("Email", { exact: true }).fill(ADMIN.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByTestId("sign-in").click();
    await page.waitForURL((u) => u.pathname === "/segments" && u.search === "?x=1");
    await page.getByTestId("user-name").waitFor();
  });

  it("says why signing in failed (at the field, wrong password, lockout, single sign-on) and offers SSO when set up", async () => {
    await open(null, "/signin?error=access_denied", [FAILED_WITH(401), FAILED_WITH(429)]);
    await page.getByTestId("sso-error").waitFor();
    expect(await page.getByTestId("sso-error").textContent()).toContain("access_denied");
    await page.getByTestId("sign-in").waitFor();
    await notBusy(page);
    expect(await page.getByTestId("sso-sign-in").count()).toBe(0);

    await page.getByTestId("sign-in").click();
    expect(await page.locator(".form-field.invalid .field-error").allTextContents()).toEqual([
      "Enter your email address.",
      "Enter your password.",
    ]);
    expect(await page.getByLabel("Email", { exact: true }).getAttribute("aria-invalid")).toBe("true");

    const attempt = async (password: string) => {
      await page.getByLabel("Email", { exact: true }).fill(LOCKED.email);
      await page.getByLabel("Password", { exact: true }).fill(password);
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/v1/session");
      await page.getByTestId("sign-in").click();
      const status = (await answered).status();
      await page.getByTestId("sign-in-error").waitFor();
      return { status, text: await page.getByTestId("sign-in-error").textContent() };
    };
    for (let i = 0; i < 5; i++)
      expect(await attempt(`wrong password ${i}`)).toEqual({
        status: 401,
        text: "The email or the password is wrong.",
      });
    const locked = await attempt(PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.text).toMatch(/^Too many sign-in attempts: try again in 15 minutes/);
    await screenshot(page, "sign-in-locked");

    // With single sign-on set up, the page offers it.
    await page.route("**/api/v1/auth/methods", (route) =>
      route.fulfill({ json: { password: true, oidc: { login_url: "/auth/oidc/login" } } }),
    );
    await page.goto(`${base}/signin`);
    await page.getByTestId("sso-sign-in").waitFor();
    expect(await page.getByTestId("sso-sign-in").getAttribute("href")).toBe("/auth/oidc/login");
    await screenshot(page, "sign-in-sso");
  });
});

describe("first-run setup in the dashboard", () => {
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    await ensureWebBuilt();
    db = await openPglite();
    await migrate(db);
    ({ app, url: base } = await startServer(db));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  it("creates the first admin from the setup link, signed in at once; the link then says it is used", async () => {
    const token = await createLink(db, "setup", null, new Date());
    const { page, errors, csp } = await watchedPage(browser.context);
    await page.goto(`${base}/setup`);
    await page.getByTestId("link-invalid").waitFor();
    await page.goto(`${base}/setup?token=not-a-real-token`);
    await page.getByTestId("link-invalid").waitFor();
    expect(await page.getByTestId("link-invalid").textContent()).toMatch(/used or has expired/);

    await page.goto(`${base}/setup?token=${token}`);
    await page.getByTestId("create-admin").waitFor();
    await page.getByLabel("Email").fill("first@keepwell.test");
    await page.getByLabel("Name").fill("First Admin");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Password again").fill(`${PASSWORD}!`);
    await page.getByTestId("create-admin").click();
    expect(await page.locator(".form-field.invalid .field-error").textContent()).toBe(
      "The two passwords are not the same.",
    );
    await page.getByLabel("Password again").fill(PASSWORD);
    await screenshot(page, "setup");
    await page.getByTestId("create-admin").click();
    await page.waitForURL((u) => u.pathname === "/users");
    await page.getByTestId("user-name").filter({ hasText: "First Admin" }).waitFor();
    expect(await page.getByTestId("user-role").textContent()).toBe("Admin");
    await page.locator('[data-testid="user-row"][data-email="first@keepwell.test"]').waitFor();

    await page.goto(`${base}/setup?token=${token}`);
    await page.getByTestId("link-invalid").waitFor();
    await page.close();
    expect(errors).toEqual([]);
    expect(csp, "Content-Security-Policy violations").toEqual([]);
  });
});
