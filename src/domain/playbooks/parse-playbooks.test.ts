import { describe, expect, it } from "vitest";
import type { ConfigError } from "../config-parse.js";
import { namedUsers, parsePlaybooks, parsePlaybooksYaml } from "./parse-playbooks.js";

/** A valid playbook in YAML (lines 2–6 of the file), then `extra` lines from line 7. */
const file = (extra = "", more = "") => `playbooks:
  - key: watch
    name: Watch
    trigger: { band: watch }
    owner: owner
    due: 14d
${extra}${more}`;

const errorsOf = (text: string): ConfigError[] => {
  const r = parsePlaybooksYaml(text);
  return r.ok ? [] : r.errors;
};
const brief = (errors: ConfigError[]) => errors.map((e) => `${e.line ?? "-"} ${e.path}: ${e.message}`);

const OWNER_RULE = 'must be "owner", "owner_manager", "executive" or { user: EMAIL }';
const DURATION = "must be a duration such as 0h, 30m, 48h, 14d or 2w";

describe("parsePlaybooksYaml: each problem with its path and line", () => {
  const cases: [string, string, string[]][] = [
    ["an unknown field", file("    colour: blue\n"), ["7 playbooks[0].colour: unknown field"]],
    ["an unknown top-level field", `${file()}extra: 1\n`, ["7 extra: unknown field"]],
    [
      "two conditions in one trigger",
      file().replace("{ band: watch }", "{ band: watch, model_flag: true }"),
      ["4 playbooks[0].trigger: has band and model_flag: one condition each (combine with all or any)"],
    ],
    [
      "no condition in a nested trigger",
      file().replace("{ band: watch }", "\n      any:\n        - { band: watch }\n        - {}"),
      [
        "7 playbooks[0].trigger.any[1]: needs one condition: band, score_drop, model_flag, churn_probability, signal, signals, renewal, metric, all, any",
      ],
    ],
    [
      "an unknown condition",
      file().replace("{ band: watch }", "{ mood: grumpy }"),
      [
        "4 playbooks[0].trigger.mood: unknown field",
        "4 playbooks[0].trigger: needs one condition: band, score_drop, model_flag, churn_probability, signal, signals, renewal, metric, all, any",
      ],
    ],
    [
      "an unknown band",
      file().replace("{ band: watch }", "{ band: amber }"),
      [
        '4 playbooks[0].trigger.band: must be one of "healthy", "watch", "at_risk", "critical" or a list of them',
      ],
    ],
    [
      "a metric without a bound",
      file().replace("{ band: watch }", "{ metric: { name: nps } }"),
      ["4 playbooks[0].trigger.metric: needs `above` or `below`"],
    ],
    [
      "a churn probability over 1",
      file().replace("{ band: watch }", "{ churn_probability: { at_least: 40 } }"),
      ["4 playbooks[0].trigger.churn_probability.at_least: must be between 0 and 1"],
    ],
    ["a bad due", file().replace("due: 14d", "due: 2 weeks"), [`6 playbooks[0].due: ${DURATION}`]],
    ["a bad cooldown", file("    cooldown: forever\n"), [`7 playbooks[0].cooldown: ${DURATION}`]],
    [
      "a bad acknowledge_within",
      file("    acknowledge_within: soon\n"),
      [`7 playbooks[0].acknowledge_within: ${DURATION}`],
    ],
    [
      "a bad step due",
      file("    steps:\n      - { key: call, title: Call, due: tomorrow }\n"),
      [`8 playbooks[0].steps[0].due: ${DURATION}`],
    ],
    [
      "a bad escalation time",
      file("    escalation:\n      - { at: soon, to: owner }\n"),
      [
        "8 playbooks[0].escalation[0].at: must be a share of the time to due (50%, 150%) or a duration after due (4h)",
      ],
    ],
    [
      "a repeated playbook key",
      file(
        "",
        "  - key: watch\n    name: Again\n    trigger: { band: at_risk }\n    owner: owner\n    due: 1d\n",
      ),
      ["7 playbooks[1].key: repeats playbook watch"],
    ],
    [
      "a repeated step key",
      file(
        "    steps:\n      - { key: call, title: Call, due: 1d }\n      - { key: call, title: Call again, due: 2d }\n",
      ),
      ["9 playbooks[0].steps[1].key: repeats step call"],
    ],
    [
      "a bad owner rule",
      file().replace("owner: owner", "owner: manager"),
      [`5 playbooks[0].owner: ${OWNER_RULE}`],
    ],
    [
      "an owner rule with the wrong field",
      file().replace("owner: owner", "owner: { email: vp@example.com }"),
      [`5 playbooks[0].owner: ${OWNER_RULE}`],
    ],
    [
      "a named owner that is not an email",
      file().replace("owner: owner", "owner: { user: vp }"),
      ["5 playbooks[0].owner.user: must be an email address"],
    ],
    [
      "a bad escalation target",
      file("    escalation:\n      - { at: 50%, to: boss }\n"),
      [`8 playbooks[0].escalation[0].to: ${OWNER_RULE}`],
    ],
    [
      "a bad key",
      file().replace("key: watch", "key: Watch Me"),
      ["2 playbooks[0].key: must be lower case letters, digits and _ (starting with a letter)"],
    ],
    [
      "a hysteresis too large",
      file("    hysteresis: 60\n"),
      ["7 playbooks[0].hysteresis: must be at most 50"],
    ],
    ["a fractional tier", file("    tier: 1.5\n"), ["7 playbooks[0].tier: must be a whole number"]],
    ["a missing name", file().replace("    name: Watch\n", ""), ["2 playbooks[0].name: is required"]],
    [
      "an executive that is not an email",
      `executives:\n  segments:\n    enterprise: cco\n${file()}`,
      ["3 executives.segments.enterprise: must be an email address"],
    ],
    ["no playbooks", "executives: {}\n", ["1 playbooks: is required"]],
  ];

  it.each(cases)("%s", (_name, text, expected) => {
    expect(brief(errorsOf(text))).toEqual(expected);
  });

  it("returns every problem at once, repeats included", () => {
    const text = `playbooks:
  - key: watch
    name: Watch
    trigger: { band: watch, signal: churn_notice }
    owner: manager
    due: 14d
    steps:
      - { key: call, title: Call, due: 1d }
      - { key: call, title: Call again, due: 1x }
  - key: watch
    name: Again
    colour: red
    trigger: { band: at_risk }
    owner: owner
    due: 1d
`;
    expect(brief(errorsOf(text)).sort()).toEqual(
      [
        "4 playbooks[0].trigger: has band and signal: one condition each (combine with all or any)",
        `5 playbooks[0].owner: ${OWNER_RULE}`,
        `9 playbooks[0].steps[1].due: ${DURATION}`,
        "9 playbooks[0].steps[1].key: repeats step call",
        "12 playbooks[1].colour: unknown field",
        "10 playbooks[1].key: repeats playbook watch",
      ].sort(),
    );
  });

  it("reports YAML syntax errors with their line, and an empty file", () => {
    const syntax = errorsOf("playbooks:\n  - key: a\n    name: [unclosed\n");
    expect(syntax.length).toBeGreaterThan(0);
    expect(syntax[0]?.message).toMatch(/^YAML syntax error at line \d+, column \d+: /);
    expect(syntax[0]?.line).toBeGreaterThanOrEqual(3);
    expect(errorsOf("# nothing here\n")).toEqual([
      { path: "", message: "the document is empty; expected playbooks: a list of playbooks" },
    ]);
    expect(brief(errorsOf("- a\n"))).toEqual(["1 : must be an object"]);
  });

  it("fills in the defaults of a valid file", () => {
    const r = parsePlaybooksYaml(file());
    expect(r).toEqual({
      ok: true,
      value: {
        playbooks: [
          {
            key: "watch",
            name: "Watch",
            enabled: true,
            tier: 0,
            trigger: { band: "watch" },
            owner: "owner",
            due: "14d",
            steps: [],
            escalation: [],
            hysteresis: 0,
          },
        ],
      },
    });
  });

  it("accepts every kind of condition, nested", () => {
    const r = parsePlaybooksYaml(
      file().replace(
        "{ band: watch }",
        `
      any:
        - { band: [watch, at_risk] }
        - { score_drop: { points: 10, days: 30 } }
        - { model_flag: true }
        - { churn_probability: { at_least: 0.4 } }
        - { signal: [competitor_mention, churn_notice] }
        - { renewal: { within_days: 90 } }
        - all:
            - { metric: { name: nps, below: 0 } }
            - { metric: { name: seats, above: 0.1, below: 0.5 } }`,
      ),
    );
    expect(r.ok).toBe(true);
  });
});

describe("parsePlaybooks (JSON): paths without lines", () => {
  it("names each problem's path", () => {
    const r = parsePlaybooks({
      playbooks: [
        { key: "x", name: "X", trigger: { signal: "Bad Signal" }, owner: "owner", due: "1d", tier: -1 },
      ],
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          path: "playbooks[0].tier",
          message: "must be 0 or more",
        },
        {
          path: "playbooks[0].trigger.signal",
          message: "must be lower case letters, digits and _ (starting with a letter)",
        },
      ],
    });
  });

  it("refuses what is not an object", () => {
    expect(parsePlaybooks([])).toEqual({ ok: false, errors: [{ path: "", message: "must be an object" }] });
    expect(parsePlaybooks({ playbooks: "watch" })).toEqual({
      ok: false,
      errors: [{ path: "playbooks", message: "must be a list" }],
    });
  });
});

describe("namedUsers", () => {
  it("lists every email a file names, with where", () => {
    const r = parsePlaybooks({
      executives: { default: "cco@example.com", segments: { enterprise: "ent@example.com" } },
      playbooks: [
        {
          key: "x",
          name: "X",
          trigger: { band: "watch" },
          owner: { user: "vp@example.com" },
          audience: { owner_team: "lead@example.com" },
          due: "1d",
          steps: [
            { key: "a", title: "A", due: "1d" },
            { key: "b", title: "B", due: "1d", owner: { user: "ops@example.com" } },
          ],
          escalation: [
            { at: "50%", to: "owner" },
            { at: "100%", to: { user: "boss@example.com" } },
          ],
        },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(namedUsers(r.value)).toEqual([
      { email: "cco@example.com", path: "executives.default" },
      { email: "ent@example.com", path: "executives.segments.enterprise" },
      { email: "vp@example.com", path: "playbooks[0].owner.user" },
      { email: "lead@example.com", path: "playbooks[0].audience.owner_team" },
      { email: "ops@example.com", path: "playbooks[0].steps[1].owner.user" },
      { email: "boss@example.com", path: "playbooks[0].escalation[1].to.user" },
    ]);
  });
});
