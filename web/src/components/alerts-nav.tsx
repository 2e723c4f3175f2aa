import type { MouseEvent } from "react";
import { navigate } from "../lib/router";

/** The alert pages an admin manages (the main bar has no room for them: the bell's panel and this link them). */
export const ALERT_ADMIN_PAGES = [
  { to: "/webhooks", label: "Webhooks" },
  { to: "/settings/notifications", label: "Notification settings" },
] as const;

/** The admin's alert pages side by side, the one shown marked as the current page. */
export function AlertsNav({ current }: { current: (typeof ALERT_ADMIN_PAGES)[number]["to"] }) {
  const go = (e: MouseEvent<HTMLAnchorElement>, to: string) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <nav className="section-nav" aria-label="Alerts" data-testid="alerts-nav">
      {ALERT_ADMIN_PAGES.map((p) => (
        <a
          key={p.to}
          href={p.to}
          aria-current={p.to === current ? "page" : undefined}
          onClick={(e) => go(e, p.to)}
        >
          {p.label}
        </a>
      ))}
      <a href="/notifications" onClick={(e) => go(e, "/notifications")}>
        My notifications
      </a>
    </nav>
  );
}
