import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { startWorker } from "../worker-thread.js";
import type { FeatureMatrix, Labels } from "./dataset.js";
import type { FinalFit, FitJob, LearnerOptions } from "./fit-job.js";
import type { WorkerSetup } from "./fit-worker.js";

/**
 * Runs fit jobs on worker threads, so training uses every core: the feature
 * matrix and labels are copied once into shared memory, each thread takes the
 * next job when it finishes one (the costliest first), and the results come
 * back in job order. Each job is deterministic, so the results are those of
 * running the jobs one after the other on the main thread.
 */

/** Threads worth starting: the cores, at most `limit`. */
export function trainingThreads(limit = 4): number {
  return Math.max(1, Math.min(limit, availableParallelism()));
}

function shared<T extends Float64Array | Uint8Array>(source: T): T {
  const buffer = new SharedArrayBuffer(source.byteLength);
  const copy = (source instanceof Float64Array ? new Float64Array(buffer) : new Uint8Array(buffer)) as T;
  copy.set(source);
  return copy;
}

/** The fit worker beside this module (see startWorker for the TypeScript source). */
function spawn(setup: WorkerSetup): Worker {
  return startWorker(import.meta.url, "fit-worker", setup);
}

/** A job's rough cost, to start the longest first. */
function cost(job: FitJob, rows: number): number {
  const n = job.type === "final" ? rows : job.train.length;
  return n * (job.kind === "gbdt" ? 2 : 1);
}

export async function runFitJobsInWorkers(
  data: { matrix: FeatureMatrix; labels: Labels },
  jobs: readonly FitJob[],
  options: LearnerOptions,
  seed: number,
  threads = trainingThreads(),
): Promise<(Float64Array | FinalFit)[]> {
  const setup: WorkerSetup = {
    matrix: { ...data.matrix, columns: data.matrix.columns.map(shared) },
    labels: shared(data.labels),
    options,
    seed,
  };
  const order = jobs
    .map((_, i) => i)
    .sort((a, b) => cost(jobs[b] as FitJob, data.matrix.rows) - cost(jobs[a] as FitJob, data.matrix.rows));
  const results: (Float64Array | FinalFit)[] = new Array(jobs.length);
  const workers = Array.from({ length: Math.min(threads, jobs.length) }, () => spawn(setup));
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              const id = order[next++];
              if (id === undefined) return resolve();
              worker.postMessage({ id, job: jobs[id] });
            };
            worker.on("message", (m: { id: number; result?: Float64Array | FinalFit; error?: string }) => {
              if (m.error !== undefined || m.result === undefined)
                return reject(new Error(`training thread failed: ${m.error ?? "no result"}`));
              results[m.id] = m.result;
              send();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (code !== 0) reject(new Error(`training thread exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
