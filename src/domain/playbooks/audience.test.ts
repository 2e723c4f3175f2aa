import { describe, expect, it } from "vitest";
import type { AccountFacts, TeamMember } from "./facts.js";
import { Team } from "./owners.js";
import type { Audience } from "./schema.js";
import { facts } from "./triggers.fixture.js";
import { inAudience } from "./triggers.js";

describe("inAudience", () => {
  const member = (id: string, manager_id: string | null, role = "csm", active = true): TeamMember => ({
    id,
    email: `${id}@example.com`,
    name: id,
    role,
    manager_id,
    active,
  });
  const team = new Team([
    member("vp", null, "leader"),
    member("lead", "vp", "leader"),
    member("csm", "lead"),
    member("former", "lead", "csm", false),
    member("other_lead", null, "leader"),
    member("other_csm", "other_lead"),
  ]);

  const cases: [string, Audience | undefined, Partial<AccountFacts>, boolean][] = [
    ["no audience: everyone", undefined, { segment: null }, true],
    ["empty audience: everyone", {}, {}, true],
    ["segment listed", { segments: ["smb", "enterprise"] }, { segment: "enterprise" }, true],
    ["segment not listed", { segments: ["smb"] }, { segment: "enterprise" }, false],
    ["no segment", { segments: ["smb"] }, { segment: null }, false],
    ["plan listed", { plans: ["pro"] }, { plan: "pro" }, true],
    ["plan not listed", { plans: ["starter"] }, { plan: "pro" }, false],
    ["no plan", { plans: ["pro"] }, { plan: null }, false],
    ["ARR at the floor", { arr_at_least: 50_000 }, { arr: 50_000 }, true],
    ["ARR under", { arr_at_least: 50_000 }, { arr: 49_999 }, false],
    ["no ARR", { arr_at_least: 0 }, { arr: null }, false],
    ["owner reports to the leader", { owner_team: "lead@example.com" }, { owner_user: "csm" }, true],
    ["owner reports up the chain", { owner_team: "vp@example.com" }, { owner_user: "csm" }, true],
    ["the leader's own account", { owner_team: "lead@example.com" }, { owner_user: "lead" }, true],
    ["an email in another case", { owner_team: "LEAD@Example.com" }, { owner_user: "csm" }, true],
    [
      "an inactive owner still on the team",
      { owner_team: "lead@example.com" },
      { owner_user: "former" },
      true,
    ],
    ["another team", { owner_team: "lead@example.com" }, { owner_user: "other_csm" }, false],
    [
      "the leader's manager is not on their team",
      { owner_team: "lead@example.com" },
      { owner_user: "vp" },
      false,
    ],
    ["no owner", { owner_team: "lead@example.com" }, { owner_user: null }, false],
    ["an unknown leader", { owner_team: "nobody@example.com" }, { owner_user: "csm" }, false],
    ["an owner not in the team", { owner_team: "lead@example.com" }, { owner_user: "ghost" }, false],
    [
      "every part must hold",
      { segments: ["enterprise"], plans: ["pro"], arr_at_least: 10_000, owner_team: "vp@example.com" },
      { owner_user: "csm" },
      true,
    ],
    [
      "one part failing fails it",
      { segments: ["enterprise"], plans: ["pro"], arr_at_least: 100_000, owner_team: "vp@example.com" },
      { owner_user: "csm" },
      false,
    ],
  ];
  it.each(cases)("%s", (_name, audience, over, expected) => {
    expect(inAudience(audience, facts(over), team)).toBe(expected);
  });
});
