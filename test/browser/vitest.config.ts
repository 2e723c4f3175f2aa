import { defineConfig } from "vitest/config";

/** The dashboard in headless Chromium: `npm run test:browser`. */
export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 240_000,
    pool: "forks",
    fileParallelism: false,
  },
});
