import type { FastifyInstance } from "fastify";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { User } from "../../src/auth/index.js";
import { evaluatePlaybooks } from "../../src/playbooks/evaluate.js";
import type { Db } from "../../src/store/index.js";
import {
  addUser,
  adminKey,
  ensureWebBuilt,
  FAILED_WITH,
  launchBrowser,
  screenshot,
  signIn,
  simulatedCompany,
  startServer,
  unexpected,
  watchedPage,
} from "./harness.js";

const ADMIN = { email: "admin@keepwell.test", name: "Ada Admin", role: "admin" as const };
const LEADER = { email: "lee@keepwell.test", name: "Lee Leader", role: "leader" as const };
// The simulated data names its CSMs: this user's accounts are those it gives "Maya Chen".
const CSM = { email: "maya@keepwell.test", name: "Maya Chen", role: "csm" as const, manager: LEADER.email };

const DAY = 86_400_000;

interface ApiPlay {
  id: string;
  state: string;
  outcome: string | null;
  outcome_note: string | null;
  reason: string;
  overdue: boolean;
  owner: { id: string } | null;
  steps: { key: string; done_at: string | null }[];
  events: { kind: string; actor: string | null }[];
}
interface TeamRow {
  user: { id: string; email: string };
  open: number;
  overdue: number;
  closed: number;
}

const notBusy = async (page: Page) =>
  expect.poll(async () => page.locator("[aria-busy=true], .state-loading").count()).toBe(0);

describe("plays in the dashboard", () => {
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let key: string;
  let csm: User;
  /** Maya's account whose score falls in the watch band now: the play she works. */
  let watched: { id: string; name: string; play: string };
  /** Maya's account that has been in watch for 20 days: a play 6 days overdue. */
  let late: { id: string; name: string; play: string };
  let page: Page;
  let errors: string[];
  let csp: string[];
  let expected: RegExp[];

  const get = async <T>(path: string): Promise<T> =>
    (await app.inject({ method: "GET", url: path, headers: { authorization: `Bearer ${key}` } })).json() as T;

  beforeAll(async () => {
    const [, company] = await Promise.all([ensureWebBuilt(), simulatedCompany(40, 6)]);
    db = company;
    await addUser(db, ADMIN);
    await addUser(db, LEADER);
    csm = await addUser(db, CSM);
    key = await adminKey(db);

    const mine = await db.query<{ id: string; name: string }>(
      "SELECT a.id, a.name FROM accounts a JOIN current_scores cs ON cs.account = a.id WHERE a.owner = $1 AND a.status = 'active' ORDER BY a.id",
      [CSM.name],
    );
    expect(mine.length).toBeGreaterThanOrEqual(2);
    const [one, two] = mine as [(typeof mine)[number], (typeof mine)[number]];
    // Both in the watch band: the default playbooks give the CSM a watch play on each.
    await db.query("UPDATE current_scores SET score = 68, band = 'watch' WHERE account = ANY($1::text[])", [
      [one.id, two.id],
    ]);
    const now = new Date();
    // The second has been in watch since 20 days ago: its play (due in 14 days) is 6 days late.
    await evaluatePlaybooks(db, { now: new Date(now.getTime() - 20 * DAY), accounts: [two.id] });
    const summary = await evaluatePlaybooks(db, { now });
    expect(summary.opened).toBeGreaterThan(0);
    const playOf = async (account: string) => {
      const [p] = await db.query<{ id: string; owner_user: string | null }>(
        "SELECT id, owner_user FROM plays WHERE account = $1 AND playbook = 'watch' AND state <> 'closed'",
        [account],
      );
      expect(p?.owner_user, `the watch play on ${account} is the CSM's`).toBe(csm.id);
      return p!.id;
    };
    watched = { ...one, play: await playOf(one.id) };
    late = { ...two, play: await playOf(two.id) };

    ({ app, url: base } = await startServer(db));
    ({ context, close: closeBrowser } = await launchBrowser());
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
  const open = async (who: { email: string; name: string }, path = "/", allow: RegExp[] = []) => {
    ({ page, errors, csp } = await watchedPage(context));
    expected = allow;
    await context.clearCookies();
    await signIn(page, base, who, path);
  };
  const card = (account: string) =>
    page.locator(`[data-testid="play"][data-account="${account}"][data-playbook="watch"]`);

  it("marks the accounts with an open play in the portfolio, and leads the CSM to My work", async () => {
    const mine = await get<{ plays: { id: string; overdue: boolean }[] }>(`/api/v1/plays?owner=${csm.id}`);
    const overdue = mine.plays.filter((p) => p.overdue).length;
    expect(overdue).toBeGreaterThanOrEqual(1);
    await open(CSM);
    await page.getByTestId("work-strip").waitFor();
    expect(await page.getByTestId("work-strip").textContent()).toBe(
      `You have ${mine.plays.length} open play${mine.plays.length === 1 ? "" : "s"}, ${overdue} overdue. Go to My work →`,
    );
    const row = page.locator(`[data-testid="account-row"][data-id="${watched.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId("play-badge").textContent()).toBe("Watch");
    const lateRow = page.locator(`[data-testid="account-row"][data-id="${late.id}"]`);
    expect(await lateRow.getByTestId("play-badge").getAttribute("class")).toContain("overdue");

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
    await page
      .getByTestId("work-strip")
      .getByRole("link", { name: /My work/ })
      .click();
    await page.waitForURL((u) => u.pathname === "/work");
    await card(watched.id).waitFor();
    await notBusy(page);

    // By due time: the overdue play first, in red, with how late it is.
    const order = await page
      .getByTestId("play")
      .evaluateAll((cards) => cards.map((c) => c.getAttribute("data-id")));
    expect(order).toEqual(mine.plays.map((p) => p.id));
    expect(order[0]).toBe(late.play);
    const lateCard = card(late.id);
    expect(await lateCard.getAttribute("data-overdue")).toBe("yes");
    expect(await lateCard.getByTestId("play-late").textContent()).toBe("6 days late");
    const lateColour = `getComputedStyle(document.querySelector('[data-id="${late.play}"] [data-testid="play-late"]')).color`;
    expect(await page.evaluate(lateColour)).toBe("rgb(176, 33, 33)");

    // Each with its reason, the account (a link), its band and its trend.
    const c = card(watched.id);
    const api = await get<ApiPlay>(`/api/v1/plays/${watched.play}`);
    expect(await c.getAttribute("data-state")).toBe("open");
    expect(await c.getAttribute("data-overdue")).toBe("no");
    expect(await c.getByTestId("play-reason").textContent()).toBe(api.reason);
    expect(api.reason.length).toBeGreaterThan(0);
    expect(await c.locator(".play-account .account-link").textContent()).toBe(watched.name);
    expect(await c.locator(".play-account [data-band]").getAttribute("data-band")).toBe("watch");
    await c.locator("svg.sparkline").waitFor();
    await screenshot(page, "my-work");
  });

  it("lets the CSM acknowledge the play, complete a step and close it as saved; the account's history shows it", async () => {
    await open(CSM, "/work", [FAILED_WITH(400)]);
    const c = card(watched.id);
    await c.waitFor();

    await c.getByTestId("acknowledge").click();
    await expect.poll(() => c.getAttribute("data-state")).toBe("acknowledged");
    expect(await c.getByTestId("acknowledge").count()).toBe(0);

    const step = c.getByTestId("play-step").first();
    const stepKey = await step.getAttribute("data-key");
    await step.getByTestId("step-done").click();
    await expect.poll(() => step.getAttribute("data-done")).toBe("yes");
    await expect.poll(() => c.getAttribute("data-state")).toBe("in_progress");
    expect(await step.getByTestId("step-done").count()).toBe(0);

    // Closing asks for an outcome: without one, the server's refusal is said at the field.
    await c.getByTestId("close").click();
    await c.getByTestId("close-save").click();
    const fieldError = c.locator(".form-field.invalid .field-error");
    await fieldError.waitFor();
    expect((await fieldError.textContent())?.length).toBeGreaterThan(0);
    expect(await c.getByTestId("close-outcome").getAttribute("aria-invalid")).toBe("true");
    expect(await c.getAttribute("data-state")).toBe("in_progress");

    await c.getByTestId("close-outcome").selectOption("saved");
    await c.getByTestId("close-note").fill("Mini review held; they renewed the pilot.");
    await c.getByTestId("close-save").click();
    await expect.poll(() => c.getAttribute("data-state")).toBe("closed");
    expect(await c.getByTestId("play-outcome").textContent()).toBe("Saved");
    expect(await c.getByTestId("close").count()).toBe(0);
    await screenshot(page, "my-work-closed");

    const api = await get<ApiPlay>(`/api/v1/plays/${watched.play}`);
    expect(api.state).toBe("closed");
    expect(api.outcome).toBe("saved");
    expect(api.outcome_note).toBe("Mini review held; they renewed the pilot.");
    expect(api.steps.find((s) => s.key === stepKey)?.done_at).not.toBeNull();
    const kinds = api.events.map((e) => e.kind);
    for (const k of ["acknowledged", "step_done", "closed"]) expect(kinds, k).toContain(k);

    // The account page: no play open any more, and the closed one in its history with its outcome.
    await c.locator(".play-account .account-link").click();
    await page.waitForURL((u) => u.pathname === `/accounts/${watched.id}`);
    const history = page.locator(`[data-testid="play-history-row"][data-id="${watched.play}"]`);
    await history.waitFor();
    expect(await history.getAttribute("data-outcome")).toBe("saved");
    expect(await history.getByTestId("history-outcome").textContent()).toContain("Saved");
    expect(await history.textContent()).toContain("they renewed the pilot");
    await page.getByTestId("no-open-play").waitFor();
    await screenshot(page, "account-play-history");

    // The overdue play's account shows it open, with its steps and actions.
    await page.goto(`${base}/accounts/${encodeURIComponent(late.id)}`);
    const stillOpen = page.getByTestId("account-open-plays").locator(`[data-id="${late.play}"]`);
    await stillOpen.waitFor();
    expect(await stillOpen.getByTestId("play-step").count()).toBeGreaterThan(0);
    expect(await stillOpen.getByTestId("acknowledge").count()).toBe(1);
  });

  it("shows the leader the CSM's row on the Team page with the closed count, leading to her plays", async () => {
    await open(LEADER, "/team");
    const row = page.locator(`[data-testid="team-row"][data-email="${CSM.email}"]`);
    await row.waitFor();
    const team = await get<{ people: TeamRow[] }>("/api/v1/team/plays");
    const theirs = team.people.find((p) => p.user.id === csm.id)!;
    expect(theirs.closed).toBe(1);
    expect(await row.getByTestId("team-closed").textContent()).toBe("1");
    expect(await row.textContent()).toContain("1 saved");
    expect(await row.getByTestId("team-open").textContent()).toBe(String(theirs.open));
    expect(theirs.overdue).toBeGreaterThanOrEqual(1);
    expect(await row.getByTestId("team-overdue").textContent()).toBe(String(theirs.overdue));
    const nav = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    expect(nav).toContain("Team");
    await screenshot(page, "team-plays");

    await row.getByRole("link", { name: CSM.name }).click();
    await page.waitForURL((u) => u.pathname === "/work" && u.searchParams.get("owner") === csm.id);
    await page.getByRole("heading", { name: `Plays of ${CSM.name}` }).waitFor();
    const lateCard = card(late.id);
    await lateCard.waitFor();
    // Her manager may change her plays.
    expect(await lateCard.getByTestId("acknowledge").count()).toBe(1);
    expect(await page.getByTestId("play").count()).toBe(theirs.open);
  });

  it("lets an admin check the playbooks (errors with their line), simulate the edit beside the current file, and save it", async () => {
    await open(ADMIN, "/playbooks");
    const area = page.getByTestId("playbooks-yaml");
    await area.waitFor();
    const yaml = await area.inputValue();
    expect(yaml).toContain("playbooks:");
    const match = /^(\s*)due: 14d\s*$/m.exec(yaml);
    expect(match, "the watch playbook's due time").not.toBeNull();
    const line = yaml.slice(0, match!.index).split("\n").length;

    await area.fill(yaml.replace(match![0], `${match![1]}due: fortnight`));
    await page.getByTestId("playbooks-check").click();
    const problem = page.getByTestId("playbook-problem").first();
    await problem.waitFor();
    expect(await problem.getAttribute("data-path")).toMatch(/^playbooks\[\d+\]\.due$/);
    expect(await problem.getAttribute("data-line")).toBe(String(line));
    expect(await problem.textContent()).toContain("duration");
    await problem.getByRole("button", { name: `line ${line}` }).click();
    const selected = await page.evaluate(
      `(() => { const el = document.querySelector('[data-testid="playbooks-yaml"]'); return el.value.slice(el.selectionStart, el.selectionEnd); })()`,
    );
    expect(String(selected).trim()).toBe("due: fortnight");

    await area.fill(yaml.replace(match![0], `${match![1]}due: 10d`));
    await page.getByTestId("playbooks-check").click();
    await expect
      .poll(() => page.getByTestId("playbooks-check-state").getAttribute("data-state"))
      .toBe("valid");
    expect(await page.getByTestId("playbook-problem").count()).toBe(0);

    await page.getByTestId("playbooks-simulate").click();
    await page.getByTestId("sim-result").waitFor({ timeout: 60_000 });
    const plays = page.locator('[data-testid="sim-metric"][data-metric="plays_opened"]');
    expect(await plays.getByTestId("sim-current").textContent()).toMatch(/^\d[\d,]*$/);
    expect(await plays.getByTestId("sim-edited").textContent()).toMatch(/^\d[\d,]*$/);
    const reached = page.locator('[data-testid="sim-metric"][data-metric="churners_reached_60d"]');
    expect(await reached.getByTestId("sim-current").textContent()).toMatch(/^(\d+%|—)$/);
    await screenshot(page, "playbooks-simulate");

    await page.getByTestId("playbooks-save").click();
    await page.getByTestId("playbooks-saved").waitFor();
    const saved = await get<{ version: number; yaml: string }>("/api/v1/playbooks");
    expect(await page.getByTestId("playbooks-saved").textContent()).toContain(`version ${saved.version}`);
    expect(saved.version).toBeGreaterThan(1);
    expect(saved.yaml).toContain("due: 10d");
    await notBusy(page);
  });
});
