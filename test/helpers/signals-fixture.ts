import type { SeedFinding, SeedSignal } from "./signals-seed.js";
import { DAY, sentenceEvidence } from "./signals-seed.js";

/**
 * The signals API test's world, as of NOW: five accounts, ten signals (active
 * and cleared, lately and long ago) and the text findings behind the mentions.
 */
export const NOW = new Date("2025-06-01T00:00:00.000Z");
export const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
export const NORTHWIND = "Northwind Analytics";
export const T1 = "We are looking at Northwind Analytics for reporting.";

export const ACCOUNTS = [
  { id: "A1", name: "Acme", arr: 100_000 },
  { id: "A2", name: "Beta", arr: 50_000 },
  { id: "A3", name: "Gamma", arr: 20_000 },
  { id: "A4", name: "Delta", arr: null },
  { id: "A5", name: "Epsilon", arr: 7_000 },
];

export const SIGNALS: SeedSignal[] = [
  {
    id: "sig-1",
    kind: "competitor_mention",
    account: "A1",
    competitor: NORTHWIND,
    severity: "medium",
    first_seen: ago(100),
    last_seen: ago(2),
    occurrences: 3,
    summary: "Northwind Analytics named in a ticket",
    evidence: [sentenceEvidence("tickets", "T1", "2025-05-30", T1, NORTHWIND)],
  },
  {
    id: "sig-2",
    kind: "competitor_mention",
    account: "A2",
    competitor: NORTHWIND,
    severity: "medium",
    first_seen: ago(20),
    last_seen: ago(5),
    summary: "Northwind Analytics named in a note",
    evidence: [],
  },
  {
    id: "sig-3",
    kind: "competitor_mention",
    account: "A3",
    competitor: "Contoso",
    severity: "medium",
    first_seen: ago(200),
    last_seen: ago(60),
    cleared_at: ago(40),
    summary: "Contoso named",
    evidence: [],
  },
  {
    id: "sig-4",
    kind: "stakeholder_silence",
    account: "A1",
    contact: "C1",
    severity: "medium",
    first_seen: ago(45),
    last_seen: ago(1),
    summary: "champion Ravi Martin silent",
    evidence: [
      {
        text: "champion Ravi Martin: last two-way contact 74 days ago; usual gap 9 days",
        values: { days_silent: 74, usual_gap_days: 9 },
      },
    ],
  },
  {
    id: "sig-5",
    kind: "critical_dissatisfaction",
    account: "A2",
    severity: "critical",
    first_seen: ago(10),
    last_seen: ago(3),
    summary: "cancellation requested",
    evidence: [],
  },
  {
    id: "sig-6",
    kind: "champion_departure",
    account: "A1",
    contact: "C1",
    severity: "high",
    first_seen: ago(300),
    last_seen: ago(250),
    cleared_at: ago(200),
    summary: "champion left",
    evidence: [],
  },
  {
    id: "sig-7",
    kind: "negotiation_friction",
    account: "A1",
    severity: "high",
    first_seen: ago(80),
    last_seen: ago(30),
    cleared_at: ago(20),
    summary: "discount asked well above the norm",
    evidence: [],
  },
  {
    id: "sig-8",
    kind: "evaluating_alternatives",
    account: "A4",
    severity: "high",
    first_seen: ago(5),
    last_seen: ago(1),
    summary: "trialling another tool",
    // Stored loosely: a `sentence` instead of `text`, a match past its end, a stray string.
    evidence: [
      {
        entity: "notes",
        id: "N8",
        date: "2025-05-31T10:00:00Z",
        sentence: "We are trialling another tool.",
        match: [5, 999],
      },
      "not evidence",
    ],
  },
  {
    id: "sig-9",
    kind: "competitor_mention",
    account: "A4",
    competitor: "Contoso",
    severity: "medium",
    first_seen: ago(3),
    last_seen: ago(3),
    summary: "Contoso named",
    evidence: [],
  },
  {
    id: "sig-10",
    kind: "feature_parity_request",
    account: "A1",
    competitor: NORTHWIND,
    severity: "high",
    first_seen: ago(15),
    last_seen: ago(10),
    summary: "asks for parity with Northwind Analytics",
    evidence: [],
  },
];

export const FINDINGS: SeedFinding[] = [
  {
    entity: "tickets",
    record_id: "T1",
    account: "A1",
    at: ago(2),
    kind: "competitor_mention",
    competitor: NORTHWIND,
    sentence: T1,
    phrase: NORTHWIND,
  },
  // A second finding in the same ticket: still one record naming Northwind.
  {
    entity: "tickets",
    record_id: "T1",
    account: "A1",
    at: ago(2),
    kind: "competitor_mention",
    competitor: NORTHWIND,
    sentence: "Northwind Analytics again.",
    phrase: "Northwind Analytics",
  },
  {
    entity: "notes",
    record_id: "N2",
    account: "A2",
    at: ago(5),
    kind: "competitor_mention",
    competitor: NORTHWIND,
    sentence: "They met Northwind Analytics.",
    phrase: NORTHWIND,
  },
  // Outside the landscape's 180 days, and a parity ask: neither counts as a mention.
  {
    entity: "notes",
    record_id: "N0",
    account: "A2",
    at: ago(400),
    kind: "competitor_mention",
    competitor: NORTHWIND,
    sentence: "Northwind Analytics, long ago.",
    phrase: NORTHWIND,
  },
  {
    entity: "notes",
    record_id: "N3",
    account: "A1",
    at: ago(10),
    kind: "feature_parity_request",
    competitor: NORTHWIND,
    sentence: "Northwind Analytics does this out of the box.",
    phrase: "does this out of the box",
  },
  {
    entity: "tickets",
    record_id: "T9",
    account: "A4",
    at: ago(3),
    kind: "competitor_mention",
    competitor: "Contoso",
    sentence: "Contoso quoted us less.",
    phrase: "Contoso",
  },
];
