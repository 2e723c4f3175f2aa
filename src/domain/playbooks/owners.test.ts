import { describe, expect, it } from "vitest";
import type { AccountFacts, TeamMember } from "./facts.js";
import { type Resolved, resolveOwner, Team } from "./owners.js";
import type { OwnerRule, Playbooks } from "./schema.js";

const member = (id: string, manager_id: string | null, role = "csm", active = true): TeamMember => ({
  id,
  email: `${id}@example.com`,
  name: id,
  role,
  manager_id,
  active,
});

/**
 *   ceo (executive)            cco (executive)   zed (executive, inactive)
 *    └ vp (leader)             ent (executive)   alex (executive, inactive)
 *       ├ lead (leader)
 *       │  ├ csm
 *       │  └ former (csm, inactive)
 *       └ gone (leader, inactive)
 *          └ csm3
 *   orphan (csm, no manager)
 */
const MEMBERS = [
  member("ceo", null, "executive"),
  member("vp", "ceo", "leader"),
  member("lead", "vp", "leader"),
  member("csm", "lead"),
  member("former", "lead", "csm", false),
  member("gone", "vp", "leader", false),
  member("csm3", "gone"),
  member("orphan", null),
  member("cco", null, "executive"),
  member("ent", null, "executive"),
  member("zed", null, "executive", false),
  member("alex", null, "executive", false),
];
const team = new Team(MEMBERS);

function facts(owner_user: string | null, segment: string | null = "smb"): AccountFacts {
  return {
    account: "acc_1",
    name: "Acme",
    segment,
    plan: null,
    arr: null,
    renewal_date: null,
    owner_user,
    score: 50,
    band: "at_risk",
    churn_probability: null,
    flagged: false,
    signals: [],
    metrics: {},
    history: [],
  };
}

const EXECS: Playbooks["executives"] = {
  default: "CCO@example.com",
  segments: { enterprise: "ent@example.com", mid_market: "zed@example.com" },
};

describe("resolveOwner", () => {
  const cases: [string, OwnerRule, string | null, string | null, Playbooks["executives"], Resolved][] = [
    // owner
    ["owner: the account's CSM", "owner", "csm", "smb", undefined, { user: "csm", via: "owner" }],
    [
      "owner inactive: their manager",
      "owner",
      "former",
      "smb",
      undefined,
      { user: "lead", via: "owner_manager" },
    ],
    ["owner not a user: the executive", "owner", "ghost", "smb", EXECS, { user: "cco", via: "executive" }],
    ["no owner: the executive", "owner", null, "enterprise", EXECS, { user: "ent", via: "executive" }],
    // owner_manager
    [
      "owner_manager: the CSM's manager",
      "owner_manager",
      "csm",
      "smb",
      undefined,
      { user: "lead", via: "owner_manager" },
    ],
    [
      "owner_manager: an inactive manager is skipped for the next one up",
      "owner_manager",
      "csm3",
      "smb",
      undefined,
      { user: "vp", via: "owner_manager" },
    ],
    [
      "owner_manager of an inactive owner",
      "owner_manager",
      "former",
      "smb",
      undefined,
      { user: "lead", via: "owner_manager" },
    ],
    [
      "owner_manager with no manager: the executive",
      "owner_manager",
      "orphan",
      "smb",
      EXECS,
      { user: "cco", via: "executive" },
    ],
    [
      "owner_manager never falls back down to the owner",
      "owner_manager",
      "orphan",
      "smb",
      undefined,
      { user: "cco", via: "executive" },
    ],
    // executive
    ["executive: the segment's", "executive", "csm", "enterprise", EXECS, { user: "ent", via: "executive" }],
    [
      "executive: the default (email in any case)",
      "executive",
      "csm",
      "smb",
      EXECS,
      { user: "cco", via: "executive" },
    ],
    [
      "executive: no segment, the default",
      "executive",
      "csm",
      null,
      EXECS,
      { user: "cco", via: "executive" },
    ],
    [
      "executive: the segment's is inactive, the default",
      "executive",
      "csm",
      "mid_market",
      EXECS,
      { user: "cco", via: "executive" },
    ],
    [
      "executive: none named, the first up the owner's chain",
      "executive",
      "csm",
      "enterprise",
      undefined,
      { user: "ceo", via: "executive" },
    ],
    [
      "executive: the named one is not a user, the chain",
      "executive",
      "csm3",
      "smb",
      { default: "nobody@example.com" },
      { user: "ceo", via: "executive" },
    ],
    [
      "executive: nobody up the chain, any active executive by email",
      "executive",
      "orphan",
      "smb",
      undefined,
      { user: "cco", via: "executive" },
    ],
    [
      "executive: no owner, any active executive",
      "executive",
      null,
      "smb",
      undefined,
      { user: "cco", via: "executive" },
    ],
    [
      "executive: a segment named like an Object method is just a segment",
      "executive",
      "csm",
      "constructor",
      EXECS,
      { user: "cco", via: "executive" },
    ],
    // a named user
    [
      "a named user",
      { user: "VP@example.com" },
      "csm",
      "smb",
      undefined,
      { user: "vp", via: "user vp@example.com" },
    ],
    [
      "a named user who is inactive: the owner's manager",
      { user: "gone@example.com" },
      "csm",
      "smb",
      undefined,
      { user: "lead", via: "owner_manager" },
    ],
    [
      "a named user who is not a user: the owner's manager",
      { user: "nobody@example.com" },
      "csm3",
      "smb",
      undefined,
      { user: "vp", via: "owner_manager" },
    ],
  ];

  it.each(cases)("%s", (_name, rule, owner, segment, execs, expected) => {
    expect(resolveOwner(rule, facts(owner, segment), team, execs)).toEqual(expected);
  });

  it("an executive who owns the account sponsors it", () => {
    expect(resolveOwner("executive", facts("ceo"), team, undefined)).toEqual({
      user: "ceo",
      via: "executive",
    });
  });

  it("is unassigned only when nobody answers", () => {
    const alone = new Team([member("solo", null), member("old_exec", null, "executive", false)]);
    for (const rule of ["owner_manager", "executive", { user: "x@example.com" }] as OwnerRule[])
      expect(resolveOwner(rule, facts("solo"), alone, EXECS)).toEqual({ user: null, via: "unassigned" });
    expect(resolveOwner("owner", facts("solo"), alone, EXECS)).toEqual({ user: "solo", via: "owner" });
    expect(resolveOwner("owner", facts(null), new Team([]), EXECS)).toEqual({
      user: null,
      via: "unassigned",
    });
  });
});

describe("Team", () => {
  it("finds the nearest active manager", () => {
    expect(team.manager("csm")?.id).toBe("lead");
    expect(team.manager("lead")?.id).toBe("vp");
    expect(team.manager("csm3")?.id).toBe("vp");
    expect(team.manager("ceo")).toBeUndefined();
    expect(team.manager(null)).toBeUndefined();
    expect(team.manager("ghost")).toBeUndefined();
  });

  it("knows who reports to whom, up the whole chain", () => {
    expect(team.reportsTo("csm", "lead")).toBe(true);
    expect(team.reportsTo("csm", "ceo")).toBe(true);
    expect(team.reportsTo("csm3", "gone")).toBe(true);
    expect(team.reportsTo("lead", "csm")).toBe(false);
    expect(team.reportsTo("csm", "csm")).toBe(false);
    expect(team.reportsTo("orphan", "ceo")).toBe(false);
    expect(team.reportsTo(null, "ceo")).toBe(false);
  });

  it("stops on a reporting loop", () => {
    const loop = new Team([member("a", "b", "csm"), member("b", "a", "leader", false)]);
    expect(loop.reportsTo("a", "c")).toBe(false);
    expect(loop.manager("a")).toBeUndefined();
  });

  it("looks emails up in any case and ids exactly", () => {
    expect(team.byEmail.get("csm@example.com")?.id).toBe("csm");
    expect(team.active("former")).toBeUndefined();
    expect(team.active("csm")?.id).toBe("csm");
  });
});
