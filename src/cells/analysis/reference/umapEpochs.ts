import type { UmapGraph } from "../../../gpu/kernels/umapLayout.ts";

/** PCG hash of a 32-bit word (O'Neill 2014, the RXS-M-XS output function), as the UMAP kernel computes it. */
export function pcgHash(value: number): number {
  const state = (Math.imul(value, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/**
 * Plain TypeScript reference for the UMAP epoch kernel: the same synchronous update, hash and
 * float32 sampling schedule, with forces summed in float64. Returns the n × 2 layout after
 * epochs `from` to `to − 1`.
 */
export function referenceUmapEpochs(
  graph: UmapGraph,
  initial: Float32Array,
  from: number,
  to: number,
  totalEpochs: number,
  settings: { a: number; b: number; repulsionStrength: number; negativeSampleRate: number; seed: number; initialLearningRate: number },
): Float32Array {
  const { n, rowStarts, columns, epochsPerSample } = graph;
  const { a, b } = settings;
  const epochsPerNegative = epochsPerSample.map((value) => value / settings.negativeSampleRate);
  const nextSample = Float32Array.from(epochsPerSample);
  const nextNegative = Float32Array.from(epochsPerNegative);
  let positions = Float32Array.from(initial);
  const clip = (value: number) => Math.min(4, Math.max(-4, value));

  for (let epoch = from; epoch < to; epoch++) {
    const learningRate = Math.fround(settings.initialLearningRate * (1 - epoch / totalEpochs));
    const next = new Float32Array(2 * n);
    const epochHash = pcgHash((pcgHash(settings.seed >>> 0) + epoch) >>> 0);
    for (let i = 0; i < n; i++) {
      const x = positions[2 * i]!;
      const y = positions[2 * i + 1]!;
      let moveX = 0;
      let moveY = 0;
      for (let e = rowStarts[i]!; e < rowStarts[i + 1]!; e++) {
        if (nextSample[e]! > epoch) continue;
        const j = columns[e]!;
        const dx = x - positions[2 * j]!;
        const dy = y - positions[2 * j + 1]!;
        const d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const coefficient = (-2 * a * b * d2 ** (b - 1)) / (a * d2 ** b + 1);
          moveX += clip(coefficient * dx);
          moveY += clip(coefficient * dy);
        }
        nextSample[e]! += epochsPerSample[e]!;

        const edgeHash = pcgHash((epochHash + e) >>> 0);
        let sample = 0;
        while (nextNegative[e]! <= epoch) {
          nextNegative[e]! += epochsPerNegative[e]!;
          const k = pcgHash((edgeHash + sample) >>> 0) % n;
          sample++;
          if (k === i) continue;
          const ax = x - positions[2 * k]!;
          const ay = y - positions[2 * k + 1]!;
          const r2 = ax * ax + ay * ay;
          if (r2 > 0) {
            const coefficient = (2 * settings.repulsionStrength * b) / ((0.001 + r2) * (a * r2 ** b + 1));
            moveX += clip(coefficient * ax);
            moveY += clip(coefficient * ay);
          } else {
            moveX += 4;
            moveY += 4;
          }
        }
      }
      next[2 * i] = x + learningRate * moveX;
      next[2 * i + 1] = y + learningRate * moveY;
    }
    positions = next;
  }
  return positions;
}
