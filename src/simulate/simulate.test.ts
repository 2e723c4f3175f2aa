import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateToDir } from "./cli-entry.js";
import { CORE_FEATURES, SECONDARY_FEATURES } from "./features.js";
import { simulate } from "./simulate.js";
import { ENTITY_NAMES, type EntityName, MemorySink, type SimRecord } from "./sink.js";
import { MemoryTruth } from "./truth.js";

/** The contract: DESIGN.md's entities table (plus `currency` on subscriptions and opportunities, and `term_months` on subscriptions, as stored). */
const FIELDS: Record<EntityName, string[]> = {
  accounts:
    "id name domain segment owner plan seats arr currency renewal_date status churned_at churn_reason".split(
      " ",
    ),
  contacts:
    "id account email name title role active inactive_since previous_role role_changed_at email_bounced_at".split(
      " ",
    ),
  subscriptions: "id account plan seats mrr currency discount_pct started_at ended_at term_months".split(" "),
  events: "id account user ts name value source properties".split(" "),
  tickets:
    "id account contact opened_at first_response_at resolved_at priority status subject body csat tags".split(
      " ",
    ),
  invoices: "id account issued_at due_at paid_at amount currency status discount_pct".split(" "),
  meetings: "id account kind scheduled_at status attendees".split(" "),
  surveys: "id account contact ts kind score comment".split(" "),
  notes: "id account contact ts channel direction text".split(" "),
  opportunities:
    "id account kind stage amount currency discount_requested_pct close_date status lost_reason competitor history".split(
      " ",
    ),
  metrics: "account date name value".split(" "),
};

const ENUMS: Array<[EntityName, string, readonly string[]]> = [
  ["accounts", "segment", ["smb", "mid_market", "enterprise"]],
  ["accounts", "status", ["active", "churned"]],
  ["contacts", "role", ["executive_sponsor", "champion", "decision_maker", "user", "billing"]],
  ["tickets", "priority", ["low", "normal", "high", "urgent"]],
  ["tickets", "status", ["open", "pending", "solved", "closed"]],
  ["invoices", "status", ["paid", "open", "failed", "refunded", "void"]],
  ["meetings", "kind", ["qbr", "ebr", "check_in", "onboarding", "training", "escalation"]],
  ["meetings", "status", ["held", "cancelled", "no_show"]],
  ["surveys", "kind", ["nps", "csat"]],
  ["notes", "channel", ["email", "call", "chat", "meeting", "note"]],
  ["notes", "direction", ["inbound", "outbound"]],
  ["opportunities", "kind", ["renewal", "expansion"]],
  ["opportunities", "status", ["open", "won", "lost"]],
  ["events", "source", ["product"]],
  ["events", "name", [...CORE_FEATURES, ...SECONDARY_FEATURES]],
];

/** Fields holding moments that happened (all before the window's end, none after churn). */
const MOMENTS: Partial<Record<EntityName, string[]>> = {
  events: ["ts"],
  tickets: ["opened_at", "first_response_at", "resolved_at"],
  invoices: ["issued_at", "paid_at"],
  meetings: ["scheduled_at"],
  surveys: ["ts"],
  notes: ["ts"],
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const OPTIONS = { accounts: 60, seed: 11, start: "2023-07-01" } as const;
const END = Date.parse("2025-07-01T00:00:00Z");

describe("simulate", () => {
  const sink = new MemorySink();
  const truth = new MemoryTruth();
  let counts: Record<EntityName, number>;
  beforeAll(async () => {
    counts = (await simulate(OPTIONS, sink, truth)).counts;
  });
  const all = (entity: EntityName): SimRecord[] => sink.records[entity];

  it("writes every entity and counts what it wrote", () => {
    for (const e of ENTITY_NAMES) {
      expect(all(e).length, e).toBeGreaterThan(0);
      expect(counts[e]).toBe(all(e).length);
    }
    expect(all("accounts")).toHaveLength(60);
    expect(truth.accounts.map((t) => t.id)).toEqual(all("accounts").map((a) => a.id));
    expect(sink.closed).toBe(false);
  });

  it("uses exactly the contract's field names, with ids and accounts where they belong", () => {
    const problems = new Set<string>();
    for (const e of ENTITY_NAMES) {
      const allowed = new Set(FIELDS[e]);
      for (const r of all(e)) {
        for (const [k, v] of Object.entries(r)) {
          if (!allowed.has(k)) problems.add(`${e}.${k} is not a contract field`);
          if (v === null && !k.endsWith("_at")) problems.add(`${e}.${k} is null`);
          if (v === undefined) problems.add(`${e}.${k} is undefined`);
        }
        if (e !== "metrics" && typeof r.id !== "string") problems.add(`${e} without id`);
        if (e !== "accounts" && typeof r.account !== "string") problems.add(`${e} without account`);
      }
    }
    expect([...problems]).toEqual([]);
  });

  it("keeps enums, times, dates and ranges in their formats", () => {
    const problems = new Set<string>();
    const check = (ok: boolean, what: string): void => {
      if (!ok) problems.add(what);
    };
    for (const [e, field, values] of ENUMS) {
      for (const r of all(e))
        if (r[field] !== undefined) check(values.includes(r[field] as string), `${e}.${field}=${r[field]}`);
    }
    for (const e of ENTITY_NAMES) {
      for (const r of all(e)) {
        for (const [k, v] of Object.entries(r)) {
          if (k === "role_changed_at") check(DATE.test(v as string), `${e}.${k}=${v}`);
          else if (k.endsWith("_at") && v !== null) check(ISO.test(v as string), `${e}.${k}=${v}`);
        }
      }
    }
    for (const r of all("events")) {
      check(ISO.test(r.ts as string), `events.ts=${r.ts}`);
      check(Number.isInteger(r.value) && Number(r.value) >= 1, `events.value=${r.value}`);
    }
    for (const r of all("accounts"))
      check(DATE.test(r.renewal_date as string), `renewal_date=${r.renewal_date}`);
    for (const r of all("opportunities"))
      check(DATE.test(r.close_date as string), `close_date=${r.close_date}`);
    for (const r of all("metrics")) check(DATE.test(r.date as string), `metrics.date=${r.date}`);
    for (const r of all("tickets")) {
      check(r.csat === undefined || (Number(r.csat) >= 1 && Number(r.csat) <= 5), `csat=${r.csat}`);
      check(Array.isArray(r.tags), "tickets.tags");
    }
    for (const r of all("surveys")) {
      const [lo, hi] = r.kind === "nps" ? [0, 10] : [1, 5];
      check(
        Number.isInteger(r.score) && Number(r.score) >= lo && Number(r.score) <= hi,
        `${r.kind}=${r.score}`,
      );
    }
    expect([...problems]).toEqual([]);
  });

  it("gives every record a unique id and points only at known accounts and contacts", () => {
    const problems = new Set<string>();
    const accounts = new Set(all("accounts").map((a) => a.id));
    const contacts = new Map(all("contacts").map((c) => [c.id, c.account]));
    for (const e of ENTITY_NAMES) {
      if (e === "metrics") continue;
      const ids = all(e).map((r) => r.id);
      if (new Set(ids).size !== ids.length) problems.add(`${e} ids repeat`);
      for (const r of all(e))
        if (e !== "accounts" && !accounts.has(r.account)) problems.add(`${e}.account unknown`);
    }
    const same = (id: unknown, account: unknown): boolean => contacts.get(id as string) === account;
    for (const e of ["tickets", "surveys", "notes"] as const) {
      for (const r of all(e))
        if (r.contact !== undefined && !same(r.contact, r.account)) problems.add(`${e}.contact`);
    }
    for (const m of all("meetings")) {
      for (const a of m.attendees as string[]) if (!same(a, m.account)) problems.add("meetings.attendees");
    }
    for (const ev of all("events")) {
      const user = ev.user as string;
      if (!(user.startsWith("con_") ? same(user, ev.account) : user.startsWith("usr_")))
        problems.add("events.user");
    }
    expect([...problems]).toEqual([]);
  });

  it("has nothing after the window's end, nor after an account churned", () => {
    const problems = new Set<string>();
    const churnedAt = new Map<unknown, number>();
    for (const a of all("accounts")) {
      if (a.status === "churned") {
        expect(a.churned_at).toMatch(ISO);
        expect(typeof a.churn_reason).toBe("string");
        churnedAt.set(a.id, Date.parse(a.churned_at as string));
      } else expect(a.churned_at).toBeNull();
    }
    expect(churnedAt.size).toBeGreaterThan(0);
    for (const [e, fields] of Object.entries(MOMENTS)) {
      for (const r of all(e as EntityName)) {
        const churn = churnedAt.get(r.account);
        for (const f of fields) {
          if (r[f] === null || r[f] === undefined) continue;
          const t = Date.parse(r[f] as string);
          if (churn !== undefined ? t > churn : t >= END) problems.add(`${e}.${f} too late`);
        }
      }
    }
    const lastSubscription = new Map(all("subscriptions").map((s) => [s.account, s]));
    for (const [account, churn] of churnedAt) {
      if (Date.parse(lastSubscription.get(account)?.ended_at as string) !== churn)
        problems.add("subscription not ended");
    }
    expect([...problems]).toEqual([]);
  });

  it("emits each account's time-ordered records in order", () => {
    const ordered: Array<[EntityName, string]> = [
      ["events", "ts"],
      ["tickets", "opened_at"],
      ["invoices", "issued_at"],
      ["meetings", "scheduled_at"],
      ["notes", "ts"],
      ["surveys", "ts"],
    ];
    for (const [e, f] of ordered) {
      const rs = all(e);
      let disorder = 0;
      for (let i = 1; i < rs.length; i++) {
        const [a, b] = [rs[i - 1]!, rs[i]!];
        if (a.account === b.account && (b[f] as string) < (a[f] as string)) disorder++;
      }
      expect(disorder, e).toBe(0);
    }
  });

  it("does not depend on how many accounts are generated, and depends on the seed", async () => {
    const fewer = new MemorySink();
    await simulate({ ...OPTIONS, accounts: 20 }, fewer);
    for (const e of ENTITY_NAMES) {
      const firstTwenty = all(e).filter((r) => Number(String(r.account ?? r.id).slice(4)) <= 20);
      expect(fewer.records[e]).toEqual(firstTwenty);
    }
    const other = new MemorySink();
    await simulate({ ...OPTIONS, accounts: 20, seed: 12 }, other);
    expect(other.records.accounts).not.toEqual(fewer.records.accounts);
  });

  it("records truth that agrees with the data", () => {
    const accounts = new Map(all("accounts").map((a) => [a.id, a]));
    for (const t of truth.accounts) {
      const a = accounts.get(t.id)!;
      expect(a.segment).toBe(t.segment);
      expect(a.status === "churned").toBe(t.churn_date !== null);
      expect(t.churn_cause === "none").toBe(t.churn_date === null);
      if (t.churn_date) expect((a.churned_at as string).slice(0, 10)).toBe(t.churn_date);
      for (const m of t.health) {
        expect(m.month).toMatch(/^\d{4}-\d{2}$/);
        expect(m.health).toBeGreaterThanOrEqual(0);
        expect(m.health).toBeLessThanOrEqual(1);
      }
      expect(t.health.length).toBeGreaterThan(0);
    }
  });
});

describe("simulateToDir", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const run = async (): Promise<{ hashes: Record<string, string>; counts: Record<string, number> }> => {
    const dir = mkdtempSync(join(tmpdir(), "keepwell-sim-"));
    dirs.push(dir);
    const result = await simulateToDir({
      ...OPTIONS,
      accounts: 25,
      out: join(dir, "out"),
      truth: join(dir, "truth.ndjson"),
    });
    const hashes: Record<string, string> = {};
    for (const f of readdirSync(join(dir, "out"))) {
      hashes[f] = createHash("sha256")
        .update(readFileSync(join(dir, "out", f)))
        .digest("hex");
    }
    hashes.truth = createHash("sha256")
      .update(readFileSync(join(dir, "truth.ndjson")))
      .digest("hex");
    const lines = readFileSync(join(dir, "out", "events.ndjson"), "utf8")
      .trimEnd()
      .split("\n");
    expect(lines).toHaveLength(result.counts.events);
    expect(() => lines.map((l) => JSON.parse(l))).not.toThrow();
    expect(result.records).toBe(Object.values(result.counts).reduce((a, b) => a + b, 0));
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
    return { hashes, counts: result.counts };
  };

  it("writes one NDJSON file per entity, byte-identical for the same options", async () => {
    const a = await run();
    const b = await run();
    expect(Object.keys(a.hashes).sort()).toEqual([...ENTITY_NAMES.map((e) => `${e}.ndjson`), "truth"].sort());
    expect(b.hashes).toEqual(a.hashes);
    expect(b.counts).toEqual(a.counts);
  });
});
