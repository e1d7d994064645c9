import type { TestProject } from "vitest/node";
import { createServer, type ViteDevServer } from "vite";

let server: ViteDevServer | undefined;

/** Starts one vite dev server for all browser tests, on a fixed port so IndexedDB origins repeat. */
export default async function setup(project: TestProject) {
  server = await createServer({
    configFile: "vite.config.ts",
    server: { port: 4317, strictPort: true, host: "127.0.0.1", hmr: false, watch: null },
    logLevel: "warn",
  });
  await server.listen();
  project.provide("baseUrl", "http://127.0.0.1:4317");
  return async () => {
    await server?.close();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
