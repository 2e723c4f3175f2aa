/**
 * NDJSON files: one per entity in a folder (`accounts.ndjson`, …), written
 * through buffered write streams that respect backpressure: when a stream's
 * buffer is full, `write` returns a promise that resolves on 'drain'.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { ENTITY_NAMES, type EntityName, type RecordSink, type SimRecord } from "./sink.js";

const CHUNK = 256 * 1024;

/** Lines to one file, batched into large chunks. */
export class LineWriter {
  private readonly stream: WriteStream;
  private parts: string[] = [];
  private size = 0;
  private error: Error | null = null;
  private closed = false;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.stream = createWriteStream(file, { encoding: "utf8", highWaterMark: CHUNK * 4 });
    this.stream.on("error", (err) => {
      this.error = err;
    });
  }

  /** Queues a line (without its newline); returns a promise when the caller should wait. */
  line(text: string): void | Promise<void> {
    if (this.error) throw this.error;
    if (this.closed) throw new Error(`${this.file} is closed`);
    this.parts.push(text, "\n");
    this.size += text.length + 1;
    if (this.size >= CHUNK) return this.flush();
  }

  private flush(): void | Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join("");
    this.parts = [];
    this.size = 0;
    if (this.stream.write(chunk)) return;
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off("error", onError);
        resolve();
      };
      const onError = (err: Error): void => {
        this.stream.off("drain", onDrain);
        reject(err);
      };
      this.stream.once("drain", onDrain);
      this.stream.once("error", onError);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(this.error);
      this.stream.once("error", reject);
      this.stream.end(() => resolve());
    });
  }
}

/** Writes each entity to `<dir>/<entity>.ndjson`; every file exists, even when empty. */
export class NdjsonDirSink implements RecordSink {
  private readonly writers: Record<EntityName, LineWriter>;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.writers = Object.fromEntries(
      ENTITY_NAMES.map((e) => [e, new LineWriter(join(dir, `${e}.ndjson`))]),
    ) as Record<EntityName, LineWriter>;
  }

  /** The file an entity is written to. */
  fileOf(entity: EntityName): string {
    return this.writers[entity].file;
  }

  write(entity: EntityName, record: SimRecord): void | Promise<void> {
    return this.writers[entity].line(JSON.stringify(record));
  }

  async close(): Promise<void> {
    await Promise.all(ENTITY_NAMES.map((e) => this.writers[e].close()));
  }
}
