import { fileURLToPath } from "node:url";
import { createServer, type ViteDevServer } from "vite";

/** The repository root, where vite.config.ts and index.html live. */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Starts the notebook page's dev server on a loopback port: the given one, or a free one for 0. */
export async function startPageServer(port = 0): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    root: packageRoot,
    configFile: `${packageRoot}vite.config.ts`,
    // No HMR and no file watching: an edit elsewhere must not reload a page mid-run.
    server: { host: "127.0.0.1", port, strictPort: port !== 0, open: false, hmr: false, watch: null },
    logLevel: "error",
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === "string") throw new Error("vite dev server has no TCP address");
  return { server, url: `http://127.0.0.1:${address.port}` };
}
