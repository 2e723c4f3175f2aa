import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SIGNAL_COMPETITORS } from "./signal-competitors.js";
import { NEGATED_LINES, ORDINARY_WORD_LINES } from "./signal-text.js";
import { competitorsNamed, type SignalTruth } from "./signals-truth.js";
import { simulate } from "./simulate.js";
import { MemorySink, type SimRecord } from "./sink.js";
import { MemoryTruth, NdjsonTruthWriter } from "./truth.js";

const OPTIONS = { accounts: 300, seed: "signals-test", end: "2026-01-01" } as const;
const DAY = 86_400_000;
const dayBefore = (date: string): string => new Date(Date.parse(date) - DAY).toISOString().slice(0, 10);

describe("signal planting", () => {
  const sink = new MemorySink();
  const truth = new MemoryTruth();
  const plain = new MemorySink();
  beforeAll(async () => {
    await simulate(OPTIONS, sink, truth);
    await simulate({ ...OPTIONS, signals: false }, plain);
  });
  const lines = (): SignalTruth[] => truth.signalLines;
  const texts = (account: string): Array<{ entity: string; rec: SimRecord; day: string; text: string }> => [
    ...sink.records.tickets
      .filter((t) => t.account === account)
      .map((t) => ({
        entity: "tickets",
        rec: t,
        day: String(t.opened_at).slice(0, 10),
        text: `${t.subject}\n${t.body}`,
      })),
    ...sink.records.notes
      .filter((n) => n.account === account)
      .map((n) => ({ entity: "notes", rec: n, day: String(n.ts).slice(0, 10), text: String(n.text) })),
    ...sink.records.surveys
      .filter((s) => s.account === account && s.comment)
      .map((s) => ({ entity: "surveys", rec: s, day: String(s.ts).slice(0, 10), text: String(s.comment) })),
  ];

  it("is deterministic for a seed", async () => {
    const again = new MemorySink();
    const truth2 = new MemoryTruth();
    await simulate(OPTIONS, again, truth2);
    expect(truth2.signalLines).toEqual(truth.signalLines);
    expect(JSON.stringify(again.records)).toBe(JSON.stringify(sink.records));
  });

  it("plants every kind, mostly on churners 30–150 days before they leave, less on accounts that stay", () => {
    const planted = lines().filter((l) => l.origin === "planted");
    const kinds = new Set(planted.map((l) => l.kind));
    for (const k of [
      "competitor_mention",
      "feature_parity_request",
      "evaluating_alternatives",
      "stakeholder_silence",
      "champion_departure",
      "negotiation_friction",
    ])
      expect(kinds.has(k as SignalTruth["kind"]), k).toBe(true);
    const churned = truth.accounts.filter((a) => a.churn_date !== null);
    const early = churned.filter((a) =>
      planted.some((l) => {
        if (l.account !== a.id) return false;
        const lead = (Date.parse(a.churn_date!) - Date.parse(l.from)) / DAY;
        return lead >= 0 && lead <= 150;
      }),
    );
    expect(early.length / churned.length).toBeGreaterThan(0.6);
    const stayers = truth.accounts.filter((a) => a.churn_date === null && a.future_churn_date === null);
    const plantedStayers = stayers.filter((a) => planted.some((l) => l.account === a.id));
    expect(plantedStayers.length).toBeGreaterThan(0);
    expect(plantedStayers.length / stayers.length).toBeLessThan(early.length / churned.length / 2);
  });

  it("backs each competitor truth with a text or lost deal naming it, dated the day before it starts", () => {
    const mentions = lines().filter((l) => l.kind === "competitor_mention");
    expect(mentions.length).toBeGreaterThan(20);
    for (const l of mentions) {
      const day = dayBefore(l.from);
      const inText = texts(l.account).some(
        (t) => t.day === day && competitorsNamed(t.text).includes(l.competitor!),
      );
      const inDeal = sink.records.opportunities.some(
        (o) => o.account === l.account && o.close_date === day && o.competitor === l.competitor,
      );
      expect(inText || inDeal, `${l.account} ${l.competitor} ${l.from}`).toBe(true);
    }
  });

  it("backs each text truth with a text of that account dated the day before it starts", () => {
    for (const l of lines().filter(
      (x) => x.kind === "feature_parity_request" || x.kind === "evaluating_alternatives",
    )) {
      expect(
        texts(l.account).some((t) => t.day === dayBefore(l.from)),
        `${l.kind} ${l.account} ${l.from}`,
      ).toBe(true);
    }
  });

  it("backs departures with a fact about the person, and silences with no two-way contact for 30 days", () => {
    const contacts = new Map(sink.records.contacts.map((c) => [c.id, c]));
    for (const l of lines().filter((x) => x.kind === "champion_departure" && x.origin === "planted")) {
      const c = contacts.get(l.contact!)!;
      const named = texts(l.account).some((t) => t.text.includes(String(c.name)));
      const stoppedUse = !sink.records.events.some(
        (e) => e.user === c.id && String(e.ts).slice(0, 10) >= dayBefore(l.from),
      );
      expect(
        Boolean(c.inactive_since || c.role_changed_at || c.email_bounced_at || named || stoppedUse),
        l.contact!,
      ).toBe(true);
    }
    const silences = lines().filter((x) => x.kind === "stakeholder_silence");
    expect(silences.some((l) => l.origin === "planted")).toBe(true);
    for (const l of silences) {
      // Silent on T: the last contact at least 30 days before, so none on the 29 days before T.
      const lo = new Date(Date.parse(l.from) - 29 * DAY).toISOString();
      const hi = `${l.from}T00:00:00.000Z`;
      const inWindow = (ts: unknown): boolean => String(ts) >= lo && String(ts) < hi;
      const touched =
        sink.records.notes.some(
          (n) => n.contact === l.contact && n.direction === "inbound" && inWindow(n.ts),
        ) ||
        sink.records.meetings.some(
          (m) =>
            m.status === "held" && (m.attendees as string[]).includes(l.contact!) && inWindow(m.scheduled_at),
        ) ||
        sink.records.events.some((e) => e.user === l.contact && inWindow(e.ts));
      expect(touched, `${l.contact} ${l.from}`).toBe(false);
    }
  });

  it("gives friction a renewal deal history that slips, moves back, or asks a large discount", () => {
    const friction = lines().filter((l) => l.kind === "negotiation_friction");
    expect(friction.length).toBeGreaterThan(0);
    for (const l of friction) {
      const deals = sink.records.opportunities.filter(
        (o) => o.account === l.account && Array.isArray(o.history),
      );
      expect(deals.length, l.account).toBeGreaterThan(0);
    }
  });

  it("plants decoys that are not truth: a name as an ordinary word, negated evaluations, ordinary deals", () => {
    const all = truth.accounts.flatMap((a) => texts(a.id));
    const ordinary = all.filter((t) => ORDINARY_WORD_LINES.some((s) => t.text.includes(s)));
    const negated = all.filter((t) => NEGATED_LINES.some((s) => t.text.includes(s)));
    expect(ordinary.length).toBeGreaterThan(0);
    expect(negated.length).toBeGreaterThan(0);
    for (const t of ordinary) {
      const sentence = ORDINARY_WORD_LINES.find((s) => t.text.includes(s))!;
      expect(competitorsNamed(t.text)).toEqual(competitorsNamed(t.text.replace(sentence, "")));
    }
    const decoyDeals = sink.records.opportunities.filter(
      (o) =>
        Array.isArray(o.history) &&
        !lines().some((l) => l.account === o.account && l.kind === "negotiation_friction"),
    );
    expect(decoyDeals.length).toBeGreaterThan(0);
    for (const o of decoyDeals)
      for (const h of o.history as Array<{ discount_requested_pct?: number }>)
        expect(h.discount_requested_pct ?? 0).toBeLessThan(15);
  });

  it("leaves most accounts exactly as the simulation without signals writes them", () => {
    const group = (s: MemorySink): Map<string, string[]> => {
      const out = new Map<string, string[]>();
      for (const records of Object.values(s.records))
        for (const r of records) {
          const account = String(r.account ?? r.id);
          const list = out.get(account) ?? [];
          list.push(JSON.stringify(r));
          out.set(account, list);
        }
      return out;
    };
    const [withSignals, without] = [group(sink), group(plain)];
    const same = truth.accounts.filter(
      (a) => withSignals.get(a.id)!.join("\n") === without.get(a.id)!.join("\n"),
    );
    const touched = new Set(
      lines()
        .filter((l) => l.origin === "planted")
        .map((l) => l.account),
    );
    expect(same.length / truth.accounts.length).toBeGreaterThan(0.3);
    for (const a of same) expect(touched.has(a.id), a.id).toBe(false);
  });

  it("names only the configured competitors, by name or alias", () => {
    const names = new Set(SIGNAL_COMPETITORS.map((c) => c.name));
    for (const l of lines()) if (l.competitor) expect(names.has(l.competitor), l.competitor).toBe(true);
    expect(competitorsNamed("We trialled Northwind, not Northwinds.")).toEqual(["Northwind Analytics"]);
    expect(competitorsNamed("northwinds and a tailspin")).toEqual([]);
  });

  it("writes signals-truth.ndjson beside the truth file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keepwell-signals-truth-"));
    try {
      const writer = new NdjsonTruthWriter(join(dir, "truth.ndjson"));
      await simulate({ ...OPTIONS, accounts: 40 }, new MemorySink(), writer);
      await writer.close();
      const file = readFileSync(join(dir, "signals-truth.ndjson"), "utf8").trim().split("\n");
      const parsed = file.map((l) => JSON.parse(l) as SignalTruth);
      expect(parsed.length).toBeGreaterThan(0);
      for (const l of parsed) {
        expect(Object.keys(l)).toEqual(["account", "kind", "contact", "competitor", "from", "to", "origin"]);
        expect(l.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        if (l.to !== null) expect(l.to >= l.from).toBe(true);
      }
      expect(parsed).toEqual(lines().filter((l) => Number(l.account.slice(4)) <= 40));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
