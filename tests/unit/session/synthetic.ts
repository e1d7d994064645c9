import { crc32 } from "../../../src/runtime/session/crc32.ts";
import { headerByteLength, headerOffsets } from "../../../src/runtime/session/format.ts";
import { encodeSession } from "../../../src/runtime/session/writer.ts";

/** A seeded generator (mulberry32), so every synthetic session is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const series = (random: () => number) => ({
  sourceModel: { sourceTrain: random(), sourceVal: random(), target: random() },
  targetModel: { targetTrain: random(), targetVal: random(), source: random() },
});

/**
 * Builds a report as a training job elsewhere would record it, built from plain arrays with no
 * Carryover code: `n` probe images, `classes` classes, `epochs` epochs after epoch 0.
 */
export function syntheticReport(options: { n?: number; classes?: number; epochs?: number; dimension?: number; seed?: number } = {}) {
  const { n = 12, classes = 3, epochs = 2, dimension = 4, seed = 7 } = options;
  const random = seededRandom(seed);
  const snapshots = Array.from({ length: epochs + 1 }, (_, epoch) => ({
    epoch,
    elapsedMs: epoch * 1000,
    trainLoss: epoch === 0 ? null : random(),
    accuracy: series(random),
    loss: series(random),
    perClass: { target: Float32Array.from({ length: classes }, random), source: Float32Array.from({ length: classes }, random) },
    confusion: {
      target: Uint32Array.from({ length: classes * classes }, () => Math.floor(random() * 5)),
      source: Uint32Array.from({ length: classes * classes }, () => Math.floor(random() * 5)),
    },
    probe: {
      predictions: Uint8Array.from({ length: n }, () => Math.floor(random() * classes)),
      activations: Float32Array.from({ length: n * dimension }, random),
      dimension,
    },
    weights: [{ name: "dense/kernel", shape: [dimension, classes], values: Float32Array.from({ length: dimension * classes }, random) }],
  }));
  return {
    formatVersion: 1,
    carryoverVersion: "external-writer",
    backend: "cuda",
    status: "done",
    params: { epochs, learningRate: 0.001, batchSize: 32, frozenLayers: [], seed, probeLayer: "dense" },
    classNames: Array.from({ length: classes }, (_, k) => `class ${k}`),
    domainNames: ["source", "target"],
    snapshots,
    probe: {
      labels: Uint8Array.from({ length: n }, (_, i) => i % classes),
      domainIndex: Uint8Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1)),
      images: Uint8Array.from({ length: n * 28 * 28 }, () => Math.floor(random() * 256)),
    },
    projection: { method: "tsne", layouts: snapshots.map(() => Float32Array.from({ length: 2 * n }, () => random() * 10 - 5)) },
  };
}

export const syntheticNotebook = "# Synthetic\n\nRecorded elsewhere.\n\n```js\nconst answer = 42;\n```\n";

/** Writes a complete session file with the standalone writer alone. */
export function syntheticSession(options: Parameters<typeof syntheticReport>[0] = {}): Uint8Array {
  return encodeSession(
    {
      meta: {
        carryoverVersion: "0.1.0",
        backend: "cuda",
        seed: options.seed ?? 7,
        libraries: { torch: "2.3.0" },
        createdAt: "2026-01-02T03:04:05.000Z",
        producer: "synthetic test writer",
      },
      notebook: { fileName: "synthetic.md", source: syntheticNotebook },
      results: { report: syntheticReport(options) },
    },
    "synthetic.carryover",
  );
}

/** Rewrites the header CRC after a deliberate header edit, as a consistent (but different) writer would. */
export function resealHeader(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(headerOffsets.headerCrc32, crc32(bytes.subarray(0, headerOffsets.headerCrc32)), true);
  return bytes;
}

/** Decodes a valid file's manifest, edits it and writes a file whose checksums match the edit. */
export function rewriteManifest(bytes: Uint8Array, edit: (manifest: Record<string, unknown>) => void): Uint8Array {
  return rewriteManifestText(bytes, (text) => {
    const manifest = JSON.parse(text);
    edit(manifest);
    return JSON.stringify(manifest);
  });
}

/** Replaces the manifest's text and fixes the lengths and checksums, as a consistent but wrong writer would. */
export function rewriteManifestText(bytes: Uint8Array, edit: (text: string) => string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(headerOffsets.manifestByteLength, true);
  const text = new TextEncoder().encode(edit(new TextDecoder().decode(bytes.subarray(headerByteLength, headerByteLength + length))));
  const oldDataStart = Math.ceil((headerByteLength + length) / 8) * 8;
  const dataStart = Math.ceil((headerByteLength + text.length) / 8) * 8;
  const out = new Uint8Array(dataStart + (bytes.length - oldDataStart));
  out.set(bytes.subarray(0, headerByteLength));
  out.set(text, headerByteLength);
  out.set(bytes.subarray(oldDataStart), dataStart);
  const outView = new DataView(out.buffer);
  outView.setUint32(headerOffsets.manifestByteLength, text.length, true);
  outView.setUint32(headerOffsets.manifestCrc32, crc32(text), true);
  return resealHeader(out);
}
