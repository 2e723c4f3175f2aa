/**
 * The people at an account: an executive sponsor, a champion, decision
 * makers, billing and users. Champions and sponsors can leave (and may be
 * replaced); a contact who left before the window's end is `active: false`.
 */
import { personName } from "./names.js";
import type { Rng } from "./random.js";
import type { Emit } from "./sink.js";
import { type Profile, pad } from "./world.js";

export type Role = "executive_sponsor" | "champion" | "decision_maker" | "user" | "billing";

export interface Contact {
  id: string;
  name: string;
  first: string;
  email: string;
  title: string;
  role: Role;
  /** The day the person becomes a contact (the account's start for the first ones). */
  joinDay: number;
  /** The day the person leaves, if they do. */
  leaveDay: number | null;
}

export interface People {
  all: Contact[];
  champion: Contact;
  /** Who takes over when the champion leaves, if anyone does. */
  nextChampion: Contact | null;
  sponsor: Contact | null;
  nextSponsor: Contact | null;
  deciders: Contact[];
  billing: Contact | null;
  users: Contact[];
}

const TITLES: Readonly<Record<Role, readonly string[]>> = {
  executive_sponsor: [
    "VP of Operations",
    "COO",
    "Chief Revenue Officer",
    "VP Sales",
    "CFO",
    "Head of Customer Experience",
    "VP Marketing",
    "Chief Operating Officer",
    "SVP Strategy",
  ],
  champion: [
    "Operations Manager",
    "Head of RevOps",
    "Sales Ops Lead",
    "Business Systems Manager",
    "Analytics Lead",
    "Director of Operations",
    "Marketing Ops Manager",
    "Program Manager",
  ],
  decision_maker: [
    "Director of IT",
    "VP Finance",
    "Head of Procurement",
    "IT Manager",
    "Director of Finance",
  ],
  billing: [
    "Accounts Payable Specialist",
    "Finance Manager",
    "Controller",
    "Office Manager",
    "Billing Coordinator",
  ],
  user: [
    "Sales Representative",
    "Analyst",
    "Account Executive",
    "Support Specialist",
    "Data Analyst",
    "Coordinator",
    "Project Manager",
    "Customer Success Associate",
    "Team Lead",
    "Operations Associate",
  ],
};
const SMB_SPONSOR_TITLES = ["Founder & CEO", "Managing Director", "Owner", "General Manager"] as const;

const ascii = (s: string): string =>
  s
    .normalize("NFD")
    .replace(/[^A-Za-z]/g, "")
    .toLowerCase();

export function buildPeople(p: Profile, rng: Rng): People {
  const all: Contact[] = [];
  const emails = new Set<string>();
  const add = (role: Role, joinDay: number, leaveDay: number | null = null): Contact => {
    const { first, last } = personName(rng);
    let email = `${ascii(first)}.${ascii(last)}@${p.domain}`;
    for (let n = 2; emails.has(email); n++) email = `${ascii(first)}.${ascii(last)}${n}@${p.domain}`;
    emails.add(email);
    const titles = role === "executive_sponsor" && p.segment === "smb" ? SMB_SPONSOR_TITLES : TITLES[role];
    const c: Contact = {
      id: `con_${pad(p.index + 1, 5)}_${pad(all.length + 1, 2)}`,
      name: `${first} ${last}`,
      first,
      email,
      title: rng.choice(titles),
      role,
      joinDay,
      leaveDay,
    };
    all.push(c);
    return c;
  };
  const from = p.startDay;
  const big = p.segment !== "smb";
  const sponsor = big || rng.bool(0.5) ? add("executive_sponsor", from, p.sponsorLeaveDay) : null;
  const champion = add("champion", from, p.championLeaveDay);
  const deciders: Contact[] = [];
  if (big) deciders.push(add("decision_maker", from));
  if (p.segment === "enterprise" && rng.bool(0.5)) deciders.push(add("decision_maker", from));
  const billing = big || rng.bool(0.5) ? add("billing", from) : null;
  const userCount =
    p.segment === "smb" ? rng.int(0, 2) : p.segment === "mid_market" ? rng.int(1, 3) : rng.int(3, 7);
  const users: Contact[] = [];
  for (let i = 0; i < userCount; i++) users.push(add("user", from));
  const nextChampion = p.championReplacedDay !== null ? add("champion", p.championReplacedDay) : null;
  const nextSponsor =
    p.sponsorLeaveDay !== null && rng.bool(0.7)
      ? add("executive_sponsor", p.sponsorLeaveDay + rng.int(20, 90))
      : null;
  return { all, champion, nextChampion, sponsor, nextSponsor, deciders, billing, users };
}

/** Whether a contact is at the account on a day. */
export function present(c: Contact | null, day: number): c is Contact {
  return c !== null && c.joinDay <= day && (c.leaveDay === null || day < c.leaveDay);
}

/** The contacts at the account on a day, optionally of some roles. */
export function presentOn(people: People, day: number, roles?: readonly Role[]): Contact[] {
  return people.all.filter((c) => present(c, day) && (roles === undefined || roles.includes(c.role)));
}

/** The champion on a day (the replacement once they start), if any. */
export function championOn(people: People, day: number): Contact | null {
  if (present(people.champion, day)) return people.champion;
  return present(people.nextChampion, day) ? people.nextChampion : null;
}

export function sponsorOn(people: People, day: number): Contact | null {
  if (present(people.sponsor, day)) return people.sponsor;
  return present(people.nextSponsor, day) ? people.nextSponsor : null;
}

/** Contact records as of the window's end: people who joined before it; left ones are inactive. */
export function emitContacts(p: Profile, people: People, emit: Emit): void {
  for (const c of people.all) {
    if (c.joinDay >= p.activeEnd) continue;
    emit("contacts", {
      id: c.id,
      account: p.id,
      email: c.email,
      name: c.name,
      title: c.title,
      role: c.role,
      active: !(c.leaveDay !== null && c.leaveDay < p.activeEnd),
    });
  }
}
