/**
 * A training thread (see worker-pool.ts): receives the shared feature matrix
 * and labels once, then runs the fit jobs it is sent, one at a time.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { FeatureMatrix, Labels } from "./dataset.js";
import { type FitJob, type LearnerOptions, runFitJob } from "./fit-job.js";

export interface WorkerSetup {
  matrix: FeatureMatrix;
  labels: Labels;
  options: LearnerOptions;
  seed: number;
}

const setup = workerData as WorkerSetup;
parentPort?.on("message", (message: { id: number; job: FitJob }) => {
  try {
    const result = runFitJob(message.job, setup, setup.options, setup.seed);
    parentPort?.postMessage({ id: message.id, result });
  } catch (err) {
    parentPort?.postMessage({
      id: message.id,
      error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    });
  }
});
