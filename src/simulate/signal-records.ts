/**
 * One account's records, held back while signals are planted in them: read
 * them by entity, change them in place, drop some (a silent stakeholder's
 * later contact), add new ones, then hand them on in order.
 */
import type { Calendar } from "./calendar.js";
import type { Emit, EntityName, SimRecord } from "./sink.js";

const TIME_FIELD: Partial<Record<EntityName, string>> = { notes: "ts", tickets: "opened_at", events: "ts" };

export class AccountRecords {
  readonly entities: EntityName[] = [];
  readonly records: SimRecord[] = [];
  private readonly byEntity = new Map<EntityName, SimRecord[]>();
  private readonly dropped = new Set<SimRecord>();
  private added = 0;
  private readonly grown = new Set<EntityName>();

  constructor(
    readonly cal: Calendar,
    readonly accountIndex: string,
  ) {}

  readonly emit: Emit = (entity, record) => {
    this.entities.push(entity);
    this.records.push(record);
    const list = this.byEntity.get(entity);
    if (list) list.push(record);
    else this.byEntity.set(entity, [record]);
  };

  /** The records of one entity still kept, in order. */
  of(entity: EntityName): SimRecord[] {
    const list = this.byEntity.get(entity) ?? [];
    return this.dropped.size === 0 ? list.slice() : list.filter((r) => !this.dropped.has(r));
  }

  drop(record: SimRecord): void {
    this.dropped.add(record);
  }

  /** A new record with an id in the planting's own series (`note_00012_s01`). */
  add(entity: EntityName, prefix: string, fields: SimRecord): SimRecord {
    const record = {
      id: `${prefix}_${this.accountIndex}_s${String(++this.added).padStart(2, "0")}`,
      ...fields,
    };
    this.emit(entity, record);
    this.grown.add(entity);
    return record;
  }

  private readonly days = new Map<string, number>();
  private users: Map<string, number[]> | null = null;

  /** Each product user's distinct days of use (sorted), from the kept events; read after planting. */
  userDays(): Map<string, number[]> {
    if (this.users) return this.users;
    const sets = new Map<string, Set<number>>();
    let key = "";
    let day = 0;
    for (const e of this.of("events")) {
      const ts = String(e.ts);
      if (!ts.startsWith(key) || key === "") {
        key = ts.slice(0, 10);
        day = this.day(key);
      }
      const u = String(e.user);
      const s = sets.get(u);
      if (s) s.add(day);
      else sets.set(u, new Set([day]));
    }
    this.users = new Map([...sets].map(([u, s]) => [u, [...s].sort((a, b) => a - b)]));
    return this.users;
  }

  /** The window day a timestamp (UTC, ISO) or date falls on. */
  day(value: unknown): number {
    const key = String(value).slice(0, 10);
    let d = this.days.get(key);
    if (d === undefined) {
      d = this.cal.dayOf(new Date(`${key}T00:00:00.000Z`));
      this.days.set(key, d);
    }
    return d;
  }

  /**
   * Hands every kept record on, in order; an entity that gained records is
   * handed on whole, in time order, where its first record was.
   */
  flush(emit: Emit): void {
    const grown = new Set(this.grown);
    for (let i = 0; i < this.records.length; i++) {
      const entity = this.entities[i]!;
      if (grown.has(entity)) {
        grown.delete(entity);
        const field = TIME_FIELD[entity] ?? "ts";
        const list = this.of(entity).sort((a, b) => String(a[field]).localeCompare(String(b[field])));
        for (const r of list) emit(entity, r);
      } else if (!this.grown.has(entity) && !this.dropped.has(this.records[i]!))
        emit(entity, this.records[i]!);
    }
  }
}
