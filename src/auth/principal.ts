import type { Role, Scope } from "./roles.js";

/** A person as the API shows them (never with their password hash). */
export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  manager_id: string | null;
  active: boolean;
  time_zone: string;
  created_at: string;
  last_seen_at: string | null;
};

export type ApiKey = {
  id: string;
  name: string;
  /** The key's first characters, to recognise it in a list. */
  prefix: string;
  scopes: Scope[];
  created_by: string | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** Who is asking: a signed-in person (with the session's CSRF check) or a machine's key. */
export type Principal =
  | { kind: "user"; user: User; session: { tokenHash: string; csrfHash: string } }
  | { kind: "key"; key: ApiKey };

/** What the audit log records of whoever acted. */
export interface Actor {
  type: "user" | "key" | "cli" | "system" | "anonymous";
  id: string | null;
  label: string;
  ip?: string | null;
}

export function actorOf(who: Principal, ip?: string): Actor {
  return who.kind === "user"
    ? { type: "user", id: who.user.id, label: who.user.email, ip }
    : { type: "key", id: who.key.id, label: `key ${who.key.name}`, ip };
}
