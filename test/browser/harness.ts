import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { buildServer } from "../../src/api/index.js";
import { createKey, createUser, type Role, type User } from "../../src/auth/index.js";
import { activeScorecard, backfill, runScoring } from "../../src/scoring/index.js";
import { type Db, migrate, openPglite } from "../../src/store/index.js";
import { loadCompany } from "../helpers/company.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SCREENSHOTS = join(ROOT, "test-results", "screenshots");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds web/dist when it is missing or older than its sources (so the test never runs a stale app). */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(ROOT, "web", "dist", "index.html");
  const sources = [join(ROOT, "web", "src"), join(ROOT, "web", "index.html"), join(ROOT, "vite.config.ts")];
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  const { build } = await import("vite");
  await build({ configFile: join(ROOT, "vite.config.ts"), logLevel: "warn" });
}

/** A simulated company loaded into a fresh PGlite: monthly history for a year, then scored as of now. */
export async function simulatedCompany(accounts: number, months: number): Promise<Db> {
  const db = await openPglite();
  await migrate(db);
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  await loadCompany(db, { accounts, months, seed: "browser", end: today });
  const scorecard = await activeScorecard(db);
  const from = new Date(now.getTime() - months * 30.5 * 86_400_000).toISOString().slice(0, 10);
  await backfill(db, scorecard, from, today);
  await runScoring(db, { asOf: now.toISOString(), scorecard, target: "current" });
  return db;
}

export async function startServer(db: Db): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildServer({ db, config: { bodyLimit: 64 * 1024 * 1024, logLevel: "silent" } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}` };
}

/** Debian's Chromium, headless, with a profile of its own that is thrown away afterwards. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "keepwell-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What the harness does in the store by hand (as `keepwell users add` would). */
const TESTS = { type: "system" as const, id: null, label: "browser tests" };

/** The password every test user gets. */
export const PASSWORD = "correct horse battery staple";

/** A user made straight in the store, with PASSWORD (or `password`). */
export async function addUser(
  db: Db,
  u: { email: string; name: string; role: Role; manager?: string; password?: string | null },
): Promise<User> {
  const password = u.password === null ? undefined : (u.password ?? PASSWORD);
  return db.transaction((tx) => createUser(tx, { ...u, password }, TESTS));
}

/** An API key with the admin scope, for the tests' own reads through app.inject. */
export async function adminKey(db: Db): Promise<string> {
  const { key } = await db.transaction((tx) =>
    createKey(tx, { name: "browser tests", scopes: ["admin"] }, TESTS, new Date()),
  );
  return key;
}

/** A page's record of what went wrong: console errors and uncaught exceptions, and CSP violations. */
export interface Watched {
  page: Page;
  errors: string[];
  /** Every Content-Security-Policy violation the page saw (its events, and console lines about the policy). */
  csp: string[];
}

/**
 * A new page that records every console error and uncaught exception, and
 * every Content-Security-Policy violation: the page's own
 * `securitypolicyviolation` events (reported through a binding, which the
 * policy cannot block) and any console line that mentions the policy.
 */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const errors: string[] = [];
  const csp: string[] = [];
  await page.exposeBinding("__keepwellCspViolation", (_source, v: string) => {
    csp.push(`event: ${v}`);
  });
  await page.addInitScript(`document.addEventListener("securitypolicyviolation", (e) =>
    window.__keepwellCspViolation(
      e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber
        + (e.sample ? " (" + e.sample + ")" : "")));`);
  page.on("console", (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) csp.push(`console: ${m.text()}`);
    if (m.type() === "error") errors.push(`console: ${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  return { page, errors, csp };
}

/** The errors left once those a test expects (a 401 or 403 it provoked, say) are taken out. */
export function unexpected(errors: string[], ...expected: RegExp[]): string[] {
  return errors.filter((e) => !expected.some((x) => x.test(e)));
}

/** The console line Chromium writes for a response with this status (the dashboard handles it; the browser still says so). */
export const FAILED_WITH = (status: number) =>
  new RegExp(`Failed to load resource: the server responded with a status of ${status}`);

/**
 * Signs in through the real sign-in page, then waits for the page it leads
 * to (`next`, the portfolio by default) with the person's name in the header.
 */
export async function signIn(
  page: Page,
  base: string,
  who: { email: string; name: string; password?: string },
  next = "/",
): Promise<void> {
  await page.goto(`${base}/signin${next === "/" ? "" : `?next=${encodeURIComponent(next)}`}`);
  await page.getByLabel("Email", { exact: true }).fill(who.email);
  await page.getByLabel("Password", { exact: true }).fill(who.password ?? PASSWORD);
  await page.getByTestId("sign-in").click();
  await page.getByTestId("user-name").filter({ hasText: who.name }).waitFor();
  const path = next.split("?")[0];
  await page.waitForURL((u) => u.pathname === path);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Milliseconds from navigation start to a performance mark the app sets, or null. */
export async function markTime(page: Page, name: string): Promise<number | null> {
  return page.evaluate(
    `(() => { const m = performance.getEntriesByName(${JSON.stringify(name)})[0]; return m ? m.startTime : null; })()`,
  );
}
