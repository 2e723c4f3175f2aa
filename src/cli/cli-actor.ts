import { userInfo } from "node:os";
import type { Actor } from "../auth/index.js";

/** Who the audit log names for a command run on the server itself: the operating system's user. */
export function cliActor(): Actor {
  let name = "unknown";
  try {
    name = userInfo().username;
  } catch {
    // no user name (some containers): keep "unknown"
  }
  return { type: "cli", id: null, label: `cli (${name})` };
}

/** Where links printed by the CLI point: KEEPWELL_PUBLIC_URL, or the address `keepwell serve` listens on. */
export function linkBase(config: { publicUrl?: string; host: string; port: number }): string {
  return config.publicUrl ?? `http://${config.host}:${config.port}`;
}

/** Reads a password piped to the command (`--password-stdin`): the first line, without its newline. */
export async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
}
