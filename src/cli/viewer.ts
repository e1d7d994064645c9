import { rename } from "node:fs/promises";
import { join } from "node:path";
import { build, type Rollup } from "vite";
import { packageRoot } from "./serve.ts";

/**
 * Builds one static page of the repository (`viewer.html`, `replay.html`) into `out` with
 * content-hashed assets and relative paths. Returns the paths written, relative to `out`.
 */
export async function buildStaticPage(out: string, page: string): Promise<string[]> {
  const result = await build({
    root: packageRoot,
    // No config file: the page's config adds the MNIST files, which static pages do not need.
    configFile: false,
    base: "./",
    logLevel: "error",
    // Static pages draw recorded results only, so they need none of the data or model files in public/.
    publicDir: false,
    build: {
      outDir: out,
      emptyOutDir: false,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: join(packageRoot, page) },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  return outputs.flatMap((output) => output.output.map((item) => item.fileName));
}

/** Builds the static viewer page into `out`, as index.html plus hashed assets. */
export async function buildViewer(out: string): Promise<void> {
  await buildStaticPage(out, "viewer.html");
  await rename(join(out, "viewer.html"), join(out, "index.html"));
}
