/** Names that reach this machine only from itself. */
const LOOPBACK = ["localhost", "127.0.0.1", "[::1]"];

export function isLoopback(host: string | undefined): boolean {
  if (!host) return true;
  const h = host.toLowerCase();
  return LOOPBACK.includes(h) || h === "::1" || h.startsWith("127.");
}

/**
 * The Host names the server answers to: its public URL's, plus the loopback
 * names while it listens on loopback. Anything else (a DNS-rebinding page
 * naming attacker.example, a stray proxy) is refused.
 */
export function hostPolicy(
  publicUrl: string | undefined,
  bindHost: string | undefined,
): (hostname: string) => boolean {
  const allowed = new Set<string>();
  if (publicUrl) allowed.add(new URL(publicUrl).hostname.toLowerCase());
  if (isLoopback(bindHost)) for (const h of LOOPBACK) allowed.add(h);
  return (hostname) => allowed.has(hostname);
}
