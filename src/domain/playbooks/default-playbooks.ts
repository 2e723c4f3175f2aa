import { parse } from "yaml";
import { type Playbooks, playbooksSchema } from "./schema.js";

/**
 * The default playbooks: the tiered protocol a customer success team starts
 * from, one playbook per band. Written as the YAML a team reads and edits
 * (`keepwell.playbooks.yaml` beside the scorecard).
 */
export const DEFAULT_PLAYBOOKS_YAML = `# Keepwell playbooks: what opens a play, who owns it, by when, and how it escalates.
# Edit, then \`keepwell playbooks check FILE\`, \`keepwell playbooks simulate --file FILE ...\`
# and \`keepwell playbooks apply FILE\` (or PUT /api/v1/playbooks).
#
# trigger:  band (healthy | watch | at_risk | critical), score_drop {points, days},
#           model_flag: true, churn_probability {at_least}, signal (a kind or a list),
#           signals {any_of: [kinds], at_least: N, within_days: D} (N of those kinds, evidence within D days),
#           renewal {within_days} (while not healthy), metric {name, above | below};
#           combine with all: [...] / any: [...]
# owner:    owner (the account's CSM), owner_manager (account leadership),
#           executive (the executive sponsor below), or { user: EMAIL }
# due, acknowledge_within, steps[].due, cooldown: 0h (at once), 30m, 48h, 14d, 2w
# escalation[].at: a share of the time to due (50%), or a duration after due (4h)
# tier:     a higher tier supersedes a lower one open on the same account
# hysteresis: points a score must climb back past the band's threshold to count as cleared

# executives:
#   default: vp.cs@example.com
#   segments:
#     enterprise: cco@example.com

playbooks:
  - key: critical
    name: "Critical: executive sponsorship"
    description: A known dissatisfaction signal (a cancellation or escalation ticket, an executive detractor, a silent sponsor, a churn notice). The leadership team's executive sponsor takes it at once.
    tier: 4
    trigger: { band: critical }
    owner: executive
    due: 0h
    acknowledge_within: 4h
    steps:
      - { key: sponsor_call, title: "Executive sponsor calls the customer's executive", due: 24h, owner: executive }
      - { key: recovery_plan, title: Agree a recovery plan with the customer, due: 72h, owner: owner }
      - { key: weekly_review, title: Review the recovery weekly with leadership, due: 7d, owner: owner_manager }
    escalation:
      - { at: 4h, to: owner }
      - { at: 24h, to: owner_manager }
    cooldown: 7d

  - key: at_risk
    name: "At risk: account leadership intervenes"
    description: Score under 60. Escalated to account leadership within 48 hours for a health assessment and an intervention plan.
    tier: 3
    trigger: { band: at_risk }
    owner: owner_manager
    due: 48h
    acknowledge_within: 24h
    steps:
      - { key: assess_health, title: "Assess the account's health with the CSM", due: 24h, owner: owner_manager }
      - { key: intervention_plan, title: Agree an intervention plan, due: 48h, owner: owner_manager }
      - { key: review, title: Review progress, due: 14d, owner: owner }
    escalation:
      - { at: 50%, to: owner }
      - { at: 100%, to: executive }
    cooldown: 14d
    hysteresis: 3

  - key: watch
    name: "Watch: CSM outreach and a mini business review"
    description: Score 60 to 75. The CSM reaches out within two weeks with a mini business review and a value-reinforcement conversation.
    tier: 2
    trigger: { band: watch }
    owner: owner
    due: 14d
    acknowledge_within: 3d
    steps:
      - { key: outreach, title: Reach out to the customer, due: 7d }
      - { key: mini_review, title: Hold a mini business review, due: 14d }
      - { key: value_conversation, title: Value-reinforcement conversation, due: 14d }
    escalation:
      - { at: 50%, to: owner }
      - { at: 100%, to: owner_manager }
      - { at: 150%, to: executive }
    cooldown: 30d
    hysteresis: 2

  - key: competitive_win_back
    name: "Competitive win-back"
    description: Two displacement signals within 30 days (a competitor named, a feature asked for because a competitor has it, an evaluation under way, friction in the renewal, a silent stakeholder). Account leadership positions the differentiation, offers a strategic review and connects the executive sponsors. Runs beside the band's play.
    tier: 0
    trigger:
      signals:
        any_of: [competitor_mention, feature_parity_request, evaluating_alternatives, negotiation_friction, stakeholder_silence]
        at_least: 2
        within_days: 30
    owner: owner_manager
    due: 14d
    acknowledge_within: 48h
    steps:
      - { key: differentiation, title: "Position the differentiation: a comparison against the named competitor", due: 5d, owner: owner }
      - { key: strategic_review, title: Offer a strategic customer review, due: 10d, owner: owner_manager }
      - { key: sponsor_connect, title: "Connect the executive sponsors to reaffirm the commitment", due: 14d, owner: executive }
    escalation:
      - { at: 50%, to: owner_manager }
      - { at: 100%, to: executive }
    cooldown: 30d

  - key: champion_change
    name: "Champion change: find and onboard the successor"
    description: A champion or executive sponsor has left or changed role. Find who takes their place and onboard them within 14 days, before the relationship goes cold.
    tier: 0
    trigger: { signal: champion_departure }
    owner: owner
    due: 14d
    acknowledge_within: 3d
    steps:
      - { key: find_successor, title: "Find the successor (ask the departing champion, the admins, the power users)", due: 5d }
      - { key: onboard_successor, title: "Onboard the successor: goals, value so far, the plan", due: 14d }
      - { key: sponsor_check, title: Confirm the executive sponsor still backs the renewal, due: 14d, owner: owner_manager }
    escalation:
      - { at: 100%, to: owner_manager }
    cooldown: 60d

  - key: healthy_nurture
    name: "Healthy: expansion and advocacy"
    description: Score 75 and above. Nurture the relationship; ask for expansion, a testimonial or a beta.
    tier: 1
    trigger: { band: healthy }
    owner: owner
    due: 30d
    steps:
      - { key: expansion, title: Explore expansion, due: 30d }
      - { key: advocacy, title: "Ask for a testimonial, a reference or a case study", due: 30d }
      - { key: beta, title: Invite to a beta, due: 30d }
    cooldown: 90d
    hysteresis: 2
`;

export const DEFAULT_PLAYBOOKS: Playbooks = playbooksSchema.parse(parse(DEFAULT_PLAYBOOKS_YAML));
