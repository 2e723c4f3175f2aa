import { CSM_TEAM } from "./names.js";

/** A member of the simulated company's customer success team. */
export interface TeamMemberSpec {
  email: string;
  name: string;
  role: "executive" | "leader" | "csm";
  /** The manager's email. */
  manager?: string;
}

const emailOf = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@demo.keepwell.example`;

/**
 * The simulated company's customer success team as users: a VP (the
 * executive sponsor), two team leads, and the CSMs who own the accounts
 * (accounts name them by name, which resolves to these users). The first
 * four CSMs lean enterprise and report to one lead, the rest to the other.
 */
export function simulatedTeam(): TeamMemberSpec[] {
  const vp = {
    email: "dana.whitfield@demo.keepwell.example",
    name: "Dana Whitfield",
    role: "executive" as const,
  };
  const leads = [
    {
      email: "sam.ortega@demo.keepwell.example",
      name: "Sam Ortega",
      role: "leader" as const,
      manager: vp.email,
    },
    {
      email: "rina.patel@demo.keepwell.example",
      name: "Rina Patel",
      role: "leader" as const,
      manager: vp.email,
    },
  ];
  const csms = CSM_TEAM.map((name, i) => ({
    email: emailOf(name),
    name,
    role: "csm" as const,
    manager: (leads[i < 4 ? 0 : 1] as { email: string }).email,
  }));
  return [vp, ...leads, ...csms];
}
