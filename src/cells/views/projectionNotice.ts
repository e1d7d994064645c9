import type { RunProjection } from "../analysis/projectRun.ts";

const methodNames = { tsne: "t-SNE", umap: "UMAP" } as const;

/**
 * States which layer the projection shows and where it was computed: on WebGPU, or on the CPU
 * with the reason, so a fallback is never silent. `data-projection-computed-on` and
 * `data-projection-layer` carry the same facts for tests.
 */
export function projectionNotice(projection: Pick<RunProjection, "method" | "layer" | "computedOn">): HTMLElement {
  const line = document.createElement("p");
  line.dataset.projectionComputedOn = projection.computedOn;
  line.dataset.projectionLayer = projection.layer;
  const method = methodNames[projection.method];
  if (projection.computedOn === "webgpu") {
    line.textContent = `${method} of ${projection.layer}, computed on WebGPU (nearest neighbours, affinities and gradient steps in WGSL kernels); each epoch starts from the previous layout.`;
    return line;
  }
  line.className = "notice";
  const start =
    projection.method === "tsne"
      ? "each epoch starts from the previous layout"
      : "umap-js cannot start from a given layout, so each epoch starts afresh and is only rotated onto the previous one";
  line.textContent = `${method} of ${projection.layer}, computed on the CPU because the analysis kernels do not run on WebGPU here; ${start}.`;
  return line;
}
