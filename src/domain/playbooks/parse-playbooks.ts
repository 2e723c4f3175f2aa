import { type ParseResult, parseObject, parseYaml, validateWith } from "../config-parse.js";
import { type Playbooks, playbooksSchema } from "./schema.js";

/** Validates playbooks given as an object (from JSON); every problem with its path. */
export function parsePlaybooks(input: unknown): ParseResult<Playbooks> {
  return parseObject((v) => validateWith(playbooksSchema, v), input);
}

/** Validates a playbooks YAML file; every problem with its path and line. */
export function parsePlaybooksYaml(text: string): ParseResult<Playbooks> {
  return parseYaml(text, (v) => validateWith(playbooksSchema, v), "playbooks: a list of playbooks");
}

/** Every email a playbook names (`{ user: EMAIL }`, executives), with where: the store checks they are users. */
export function namedUsers(p: Playbooks): { email: string; path: string }[] {
  const out: { email: string; path: string }[] = [];
  if (p.executives?.default) out.push({ email: p.executives.default, path: "executives.default" });
  for (const [seg, email] of Object.entries(p.executives?.segments ?? {}))
    out.push({ email, path: `executives.segments.${seg}` });
  p.playbooks.forEach((pb, i) => {
    const at = `playbooks[${i}]`;
    if (typeof pb.owner === "object") out.push({ email: pb.owner.user, path: `${at}.owner.user` });
    if (pb.audience?.owner_team)
      out.push({ email: pb.audience.owner_team, path: `${at}.audience.owner_team` });
    pb.steps.forEach((s, j) => {
      if (typeof s.owner === "object")
        out.push({ email: s.owner.user, path: `${at}.steps[${j}].owner.user` });
    });
    pb.escalation.forEach((e, j) => {
      if (typeof e.to === "object") out.push({ email: e.to.user, path: `${at}.escalation[${j}].to.user` });
    });
  });
  return out;
}
