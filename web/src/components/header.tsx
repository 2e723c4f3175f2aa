import { useState } from "react";
import { can, type Permission, ROLE_LABEL } from "../lib/access";
import type { ApiError } from "../lib/api";
import { TEAM_ROLES } from "../lib/plays";
import { Link } from "../lib/router";
import { signOut } from "../lib/session";
import type { Role, User } from "../lib/types";
import { Bell } from "./bell";
import { Logo } from "./brand";

/**
 * The pages, each shown only to those whose role may use it (the server checks again):
 * `needs` a permission, and for some pages one of `roles` (those who own plays, those with a team).
 */
const NAV: {
  to: string;
  label: string;
  needs: Permission;
  roles?: readonly Role[];
  match: (p: string) => boolean;
}[] = [
  { to: "/work", label: "My work", needs: "plays.write", match: (p) => p.startsWith("/work") },
  { to: "/", label: "Portfolio", needs: "read", match: (p) => p === "/" || p.startsWith("/accounts") },
  { to: "/team", label: "Team", needs: "read", roles: TEAM_ROLES, match: (p) => p.startsWith("/team") },
  { to: "/signals", label: "Signals", needs: "read", match: (p) => p.startsWith("/signals") },
  { to: "/segments", label: "Segments", needs: "read", match: (p) => p.startsWith("/segments") },
  { to: "/scorecard", label: "Scorecard", needs: "read", match: (p) => p.startsWith("/scorecard") },
  { to: "/playbooks", label: "Playbooks", needs: "read", match: (p) => p.startsWith("/playbooks") },
  { to: "/model", label: "Churn model", needs: "read", match: (p) => p.startsWith("/model") },
  { to: "/users", label: "Users", needs: "read", match: (p) => p.startsWith("/users") },
  { to: "/api-keys", label: "API keys", needs: "keys.manage", match: (p) => p.startsWith("/api-keys") },
  { to: "/audit", label: "Audit log", needs: "audit.read", match: (p) => p.startsWith("/audit") },
];

function Account({ user }: { user: User }) {
  const [state, setState] = useState<{ busy: boolean; error?: ApiError }>({ busy: false });
  const out = () => {
    setState({ busy: true });
    signOut().catch((error: ApiError) => setState({ busy: false, error }));
  };
  return (
    <div className="whoami" data-testid="whoami">
      <span className="whoami-name" data-testid="user-name">
        {user.name}
      </span>
      <span className="role-tag" data-testid="user-role" data-role={user.role}>
        {ROLE_LABEL[user.role]}
      </span>
      <button
        type="button"
        className="button small on-dark"
        onClick={out}
        disabled={state.busy}
        data-testid="sign-out"
        title={state.error ? `Could not sign out: ${state.error.message}` : undefined}
      >
        {state.busy ? "Signing out…" : state.error ? "Sign out (try again)" : "Sign out"}
      </button>
    </div>
  );
}

export function Header({ path, user }: { path: string; user: User }) {
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link to="/" className="brand">
          <Logo />
          Keepwell
        </Link>
        <nav aria-label="Main">
          {NAV.filter((n) => can(user, n.needs) && (!n.roles || n.roles.includes(user.role))).map((n) => (
            <Link key={n.to} to={n.to} className={n.match(path) ? "active" : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <a className="docs-link" href="/docs">
          API
        </a>
        <Bell admin={can(user, "notify.manage")} />
        <Account user={user} />
      </div>
    </header>
  );
}
