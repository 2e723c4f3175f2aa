import type { Permission } from "../auth/index.js";
import { ENTITY_NAMES } from "../ingest/index.js";

/** Answered without credentials: probes, signing in, first-run setup, and the dashboard's shell and assets. */
export const PUBLIC = "public";
export type RouteAccess = Permission | typeof PUBLIC;

/**
 * Every route the server registers and what it needs, as data: the guard
 * (guard.ts) reads this table and nothing else, and refuses to start with a
 * route that is not in it, so no route can be added unguarded. "METHOD /path"
 * as Fastify registers it; a path ending in "/*" covers everything under it.
 * HEAD follows GET.
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess>> = {
  "GET /healthz": PUBLIC,
  // The dashboard's single-page shell and its assets: the sign-in and setup pages are part of it.
  "GET /*": PUBLIC,
  "GET /docs": "read",
  "GET /docs/*": "read",

  // Signing in and out, first-run setup, password reset links, single sign-on.
  "GET /api/v1/auth/methods": PUBLIC,
  "GET /api/v1/session": "self",
  "POST /api/v1/session": PUBLIC,
  "DELETE /api/v1/session": "self",
  "GET /api/v1/setup": PUBLIC,
  "POST /api/v1/setup": PUBLIC,
  "GET /api/v1/password-reset": PUBLIC,
  "POST /api/v1/password-reset": PUBLIC,
  "GET /auth/oidc/login": PUBLIC,
  "GET /auth/oidc/callback": PUBLIC,

  // The team.
  "GET /api/v1/users": "read",
  "POST /api/v1/users": "users.manage",
  "PATCH /api/v1/users/:id": "users.manage",
  "POST /api/v1/users/:id/reset-link": "users.manage",
  "GET /api/v1/owners": "read",
  "PUT /api/v1/owners/:owner": "users.manage",
  "GET /api/v1/api-keys": "keys.manage",
  "POST /api/v1/api-keys": "keys.manage",
  "DELETE /api/v1/api-keys/:id": "keys.manage",
  "GET /api/v1/audit": "audit.read",

  // Facts.
  ...Object.fromEntries(ENTITY_NAMES.map((e) => [`POST /api/v1/${e}`, "ingest" as const])),
  "POST /api/v1/:entity": "ingest",
  ...Object.fromEntries(
    ENTITY_NAMES.filter((e) => e !== "accounts").map((e) => [`GET /api/v1/${e}`, "read" as const]),
  ),
  "GET /api/v1/accounts": "read",
  "GET /api/v1/accounts/:id": "read",

  // Scores and the scorecard.
  "GET /api/v1/scorecard": "read",
  "PUT /api/v1/scorecard": "settings.write",
  "POST /api/v1/scoring/runs": "scores.run",
  "GET /api/v1/accounts/:id/score": "read",
  "GET /api/v1/accounts/:id/scores": "read",
  "GET /api/v1/portfolio": "read",

  // The dashboard's reads, and the scorecard editor's check and rescore.
  "GET /api/v1/insights/sparklines": "read",
  "GET /api/v1/insights/score-histogram": "read",
  "GET /api/v1/insights/distributions": "read",
  "GET /api/v1/insights/separation": "read",
  "GET /api/v1/insights/movement": "read",
  "GET /api/v1/insights/accounts/:id/trends": "read",
  "GET /api/v1/insights/accounts/:id/timeline": "read",
  "GET /api/v1/insights/accounts/:id/contacts": "read",
  "POST /api/v1/insights/scorecard-check": "settings.write",
  "POST /api/v1/insights/rescore": "scores.run",

  // The churn model.
  "GET /api/v1/model": "read",
  "GET /api/v1/model/report": "read",
  "GET /api/v1/model/forecast": "read",
  "GET /api/v1/models": "read",
  "GET /api/v1/accounts/:id/prediction": "read",

  // Playbooks: reading, checking and simulating them is reading; replacing them is a setting.
  "GET /api/v1/playbooks": "read",
  "PUT /api/v1/playbooks": "settings.write",
  "POST /api/v1/playbooks/check": "read",
  "POST /api/v1/playbooks/simulate": "read",

  // Plays. Which plays a caller may change is decided per play (canChangePlay in
  // src/playbooks/play-access.ts, a 403 saying why): the owner, anyone up the owner's
  // manager chain, an admin, a key with write; an executive only the plays they own.
  "GET /api/v1/plays": "read",
  "GET /api/v1/plays/:id": "read",
  "POST /api/v1/plays/:id/acknowledge": "plays.write",
  "POST /api/v1/plays/:id/start": "plays.write",
  "POST /api/v1/plays/:id/snooze": "plays.write",
  "POST /api/v1/plays/:id/unsnooze": "plays.write",
  "POST /api/v1/plays/:id/reassign": "plays.write",
  "POST /api/v1/plays/:id/notes": "plays.write",
  "POST /api/v1/plays/:id/close": "plays.write",
  "POST /api/v1/plays/:id/steps/:step/done": "plays.write",
  "GET /api/v1/accounts/:id/plays": "read",
  "GET /api/v1/team/plays": "read",

  // Alerts. A person's own notifications and preferences are theirs alone (never a key's).
  "GET /api/v1/notifications": "self",
  "GET /api/v1/notifications/unread": "self",
  "POST /api/v1/notifications/read": "self",
  "GET /api/v1/me/notifications": "self",
  "PUT /api/v1/me/notifications": "self",
  "GET /api/v1/me/subscriptions": "self",
  "POST /api/v1/me/subscriptions": "self",
  "DELETE /api/v1/me/subscriptions/:id": "self",
  // The team's notification settings (SMTP, Slack channels, budgets), admins only.
  "GET /api/v1/notifications/settings": "notify.manage",
  "PUT /api/v1/notifications/settings": "notify.manage",
  "POST /api/v1/notifications/test-email": "notify.manage",
  // Outbound webhooks, their deliveries and dead letters.
  "GET /api/v1/webhooks": "notify.manage",
  "POST /api/v1/webhooks": "notify.manage",
  "GET /api/v1/webhooks/:id": "notify.manage",
  "PATCH /api/v1/webhooks/:id": "notify.manage",
  "DELETE /api/v1/webhooks/:id": "notify.manage",
  "POST /api/v1/webhooks/:id/rotate": "notify.manage",
  "POST /api/v1/webhooks/:id/test": "notify.manage",
  "GET /api/v1/deliveries": "notify.manage",
  "GET /api/v1/deliveries/:id": "notify.manage",
  "POST /api/v1/deliveries/:id/replay": "notify.manage",
  // Zapier's REST hooks and the polling feed of recent events (GET /api/v1/events is the product-usage facts).
  "POST /api/v1/hooks": "hooks",
  "DELETE /api/v1/hooks/:id": "hooks",
  "GET /api/v1/notify/events": "read",

  // Signals, and the competitors text analysis looks for.
  "GET /api/v1/accounts/:id/signals": "read",
  "GET /api/v1/signals": "read",
  "GET /api/v1/signals/summary": "read",
  "GET /api/v1/competitors": "read",
  "PUT /api/v1/competitors": "settings.write",
};

/** What a registered route needs, from the table; undefined when the table does not name it. */
export function accessOf(method: string, url: string): RouteAccess | undefined {
  const m = method === "HEAD" ? "GET" : method;
  const exact = ROUTE_ACCESS[`${m} ${url}`];
  if (exact) return exact;
  for (const [key, access] of Object.entries(ROUTE_ACCESS)) {
    const [km, kp] = key.split(" ") as [string, string];
    if (km === m && kp.endsWith("/*") && kp !== "/*" && url.startsWith(kp.slice(0, -1))) return access;
  }
  return undefined;
}
