#!/usr/bin/env node
// From a checkout, run the TypeScript source (through tsx), so the command is
// never older than the code; from a package without src/, run the build.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source);
} else {
  await import(fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)));
}
