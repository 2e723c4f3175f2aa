import { type Actor, createUser, findUserByEmail, setPassword } from "../auth/index.js";
import { simulatedTeam } from "../simulate/index.js";
import type { Queryable } from "../store/index.js";

/**
 * Creates the simulated company's customer success team as users (once;
 * existing ones are kept), so its accounts' owners resolve and its plays
 * have owners, managers and an executive. With `password`, every member
 * gets it (the demo prints one login for all).
 */
export async function ensureSimulatedTeam(q: Queryable, actor: Actor, password?: string): Promise<number> {
  let created = 0;
  for (const m of simulatedTeam()) {
    const existing = await findUserByEmail(q, m.email);
    if (existing) {
      if (password) await setPassword(q, existing.id, password, actor);
      continue;
    }
    await createUser(q, { email: m.email, name: m.name, role: m.role, manager: m.manager, password }, actor);
    created++;
  }
  return created;
}
