import { rename } from "node:fs/promises";
import { join } from "node:path";
import { build } from "vite";
import { packageRoot } from "./serve.ts";

/** Builds the static viewer page into `out`, as index.html plus hashed assets. */
export async function buildViewer(out: string): Promise<void> {
  await build({
    root: packageRoot,
    // No config file: the page's config adds the MNIST files, which the viewer does not need.
    configFile: false,
    base: "./",
    logLevel: "error",
    // The viewer draws recorded results only, so it needs none of the data or model files in public/.
    publicDir: false,
    build: {
      outDir: out,
      emptyOutDir: false,
      rollupOptions: { input: join(packageRoot, "viewer.html") },
    },
  });
  await rename(join(out, "viewer.html"), join(out, "index.html"));
}
