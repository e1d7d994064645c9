import { defineConfig } from "vite";
import { mnistDataPlugin } from "./src/cli/mnistDataPlugin.ts";
import { notebookLayoutPlugin } from "./src/cli/notebookLayoutPlugin.ts";

export default defineConfig({
  // Relative asset paths, so a built page works from any sub-path and from a copied folder.
  base: "./",
  // A multi-page app: a missing file is a 404, never index.html served in its place.
  appType: "mpa",
  plugins: [mnistDataPlugin(), notebookLayoutPlugin()],
  server: { host: "127.0.0.1", strictPort: false },
  build: { target: "es2022", chunkSizeWarningLimit: 4096 },
  optimizeDeps: {
    include: [
      "@tensorflow/tfjs",
      "@tensorflow/tfjs-backend-webgpu",
      "@observablehq/plot",
      "@observablehq/runtime",
      "regl",
      "seedrandom",
      "acorn",
      "periscopic",
      "umap-js",
    ],
  },
});
