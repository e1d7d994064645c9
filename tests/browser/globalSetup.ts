import type { TestProject } from "vitest/node";
import { createServer, type ViteDevServer } from "vite";

let server: ViteDevServer | undefined;

/**
 * Port of the test server. Fixed, so that IndexedDB origins repeat across browser launches;
 * CARRYOVER_TEST_PORT moves it when two checkouts run their browser tests at once.
 */
const port = Number(process.env.CARRYOVER_TEST_PORT ?? 4317);

/** Starts one vite dev server for all browser tests. */
export default async function setup(project: TestProject) {
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`CARRYOVER_TEST_PORT is ${process.env.CARRYOVER_TEST_PORT}; expected a TCP port such as 4317`);
  }
  server = await createServer({
    configFile: "vite.config.ts",
    server: { port, strictPort: true, host: "127.0.0.1", hmr: false, watch: null },
    logLevel: "warn",
  });
  await server.listen();
  project.provide("baseUrl", `http://127.0.0.1:${port}`);
  return async () => {
    await server?.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
