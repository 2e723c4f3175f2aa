import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/** The dashboard: web/ built into web/dist, served by `keepwell serve` at `/`. */
export default defineConfig({
  root: decodeURIComponent(new URL("./web/", import.meta.url).pathname),
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 800 },
  // `npx vite` serves web/ with hot reload and sends the API, sign-on and docs to `keepwell serve` on port 3000.
  server: {
    proxy: {
      "/api": "http://127.0.0.1:3000",
      "/auth": "http://127.0.0.1:3000",
      "/docs": "http://127.0.0.1:3000",
    },
  },
});
